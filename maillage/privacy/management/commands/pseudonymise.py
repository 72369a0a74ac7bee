import io
import itertools
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from maillage.privacy.pseudonymiser import pseudonymise, pseudonymise_many

BATCH = 32


def parse(number: int, line: str) -> tuple[str, dict | None]:
    """(text, known) from one input line, or ValueError with a message that says what is wrong."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"ligne {number} : JSON invalide ({error.msg}, colonne {error.colno})") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise ValueError(f'ligne {number} : un objet {{"text": "…", "known": {{…}}}} est attendu')
    known = item.get("known")
    if known is not None and not isinstance(known, dict):
        raise ValueError(f'ligne {number} : "known" doit être un objet')
    return item["text"], known


class Command(BaseCommand):
    help = (
        "Pseudonymise du texte lu sur l'entrée standard (UTF-8). Avec --jsonl, chaque ligne est "
        '{"text": "…", "known": {…}} et chaque ligne de sortie est {"spans": [[début, fin, "TYPE"], …], '
        '"text": "…"}, dans l\'ordre. Une ligne invalide donne {"error": "…"} à sa place, un message sur la '
        "sortie d'erreur, et la commande continue puis se termine avec le code 1. Sans --jsonl, toute "
        "l'entrée est un seul texte, rendu pseudonymisé."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--jsonl", action="store_true", help="Une note JSON par ligne, un résultat par ligne."
        )

    def handle(self, *args, jsonl: bool, **options):
        for stream in (sys.stdout, sys.stderr):  # UTF-8 whatever the locale says
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8")
        stdin = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
            if hasattr(sys.stdin, "buffer")
            else sys.stdin
        )
        if not jsonl:
            self.stdout.write(pseudonymise(stdin.read()).text, ending="")
            return
        failures = 0
        lines = enumerate(stdin, start=1)
        while batch := list(itertools.islice(lines, BATCH)):
            items, errors = [], {}
            for number, line in batch:
                try:
                    items.append((number, *parse(number, line)))
                except ValueError as error:
                    errors[number] = str(error)
            results = pseudonymise_many((text, known) for _, text, known in items)
            by_line = {number: result for (number, _, _), result in zip(items, results, strict=True)}
            for number, _line in batch:
                if number in errors:
                    failures += 1
                    self.stderr.write(errors[number])
                    output = {"error": errors[number]}
                else:
                    result = by_line[number]
                    output = {"spans": [[s.start, s.end, s.label] for s in result.spans], "text": result.text}
                self.stdout.write(json.dumps(output, ensure_ascii=False))
            self.stdout.flush()
        if failures:
            raise CommandError(f"{failures} ligne(s) invalide(s)", returncode=1)
