"""Backups that restore: `maillage backup` and `maillage restore`.

See docs/decisions/0020-backups-that-restore.md.

`archive` is the encrypted file format, `engines` dumps and loads each database engine, `services` puts them
together with the manifest (schema, audit head, keys needed) and the checks of a restore.
"""
