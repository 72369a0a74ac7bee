"""`maillage pseudonymise --jsonl` (through the real console command) and `maillage eval-pseudo`."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from maillage.privacy.pseudonymiser.evaluation import load_corpus


def maillage(*args: str, stdin: str) -> subprocess.CompletedProcess:
    command = shutil.which("maillage", path=str(Path(sys.executable).parent)) or "maillage"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONIOENCODING": "ascii"}
    return subprocess.run(  # noqa: S603 - our own console script
        [command, *args], input=stdin.encode("utf-8"), capture_output=True, env=env, cwd=settings.BASE_DIR,
        timeout=300, check=False,
    )  # fmt: skip


def test_jsonl_round_trip_one_line_per_input_line_in_utf8():
    lines = [
        {"text": "Mme Aurélie Dupont, née le 12/03/1987, tél. 06 12 34 56 78.",
         "known": {"victim": {"first_name": "Aurélie", "last_name": "Dupont"}}},
        "ceci n'est pas du JSON",
        {"text": "Le Dr Lefèvre a vu Lina le 3 mars 2025.", "known": {"children": ["Lina"]}},
        {"known": {}},
        {"text": "Rien à cacher ici."},
    ]  # fmt: skip
    stdin = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )

    done = maillage("pseudonymise", "--jsonl", stdin=stdin + "\n")

    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert out[0] == {
        "spans": [[4, 18, "PERSON"], [27, 37, "DATE_OF_BIRTH"], [44, 58, "PHONE"]],
        "text": "Mme [victime], née le [date de naissance], tél. [téléphone].",
    }
    assert out[1] == {"error": "ligne 2 : JSON invalide (Expecting value, colonne 1)"}
    assert out[2]["text"] == "Le Dr [personne] a vu [enfant 1] le 3 mars 2025."
    assert "ligne 4" in out[3]["error"]
    assert out[4] == {"spans": [], "text": "Rien à cacher ici."}
    stderr = done.stderr.decode("utf-8")
    assert "ligne 2 : JSON invalide" in stderr and "ligne 4" in stderr
    assert done.returncode == 1


def test_plain_text_mode():
    done = maillage("pseudonymise", stdin="Mme Claire Bodin habite 3 rue des Lilas.\n")
    assert done.stdout.decode("utf-8") == "Mme [personne] habite [adresse].\n"
    assert done.returncode == 0


def test_eval_pseudo_prints_the_figures_for_the_corpus_and_its_held_out_part(tmp_path):
    notes = load_corpus()
    sample = [next(n for n in notes if n["set"] == "dev"), next(n for n in notes if n["set"] == "held_out")]
    corpus = tmp_path / "notes.jsonl"
    corpus.write_text("".join(json.dumps(n, ensure_ascii=False) + "\n" for n in sample), encoding="utf-8")
    out = io.StringIO()
    processors = os.sched_getaffinity(0)

    call_command("eval_pseudo", corpus=corpus, without_known=True, stdout=out)

    assert os.sched_getaffinity(0) == processors  # pinned to one core while measuring only

    text = out.getvalue()
    assert "2 notes, avec les identités connues" in text and "2 notes, sans les identités connues" in text
    assert "(dev) — 1 notes" in text and "(held_out) — 1 notes" in text
    for label in ("PERSON", "PHONE", "Rappel des identifiants structurés", "Notes entièrement nettoyées",
                  "Précision au caractère", "Notes par seconde (un cœur, temps processeur)"):  # fmt: skip
        assert label in text
