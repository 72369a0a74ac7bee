"""The DPO's page on the audit trail: the trail of their territory, and verification on demand.

Unlike the audit core (models, `record()`, verification), which imports no domain app, this page knows the
network: a DPO's scope is the memberships of their territory.
"""
