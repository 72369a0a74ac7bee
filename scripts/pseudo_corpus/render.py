"""Templates → annotated notes.

A template is French prose with
- slots `{v.first}`, `{p.phone}`, `{c0}`, `{date}`… (`{slot|upper}`, `|lower`, `|noacc`, `|title` change
  case),
- choices `[[one|other|]]` (one picked at random, an empty one allowed; no nesting).
People: `v` the victim, `p` the alleged perpetrator, `x`, `y` relatives or neighbours, `pro`, `pro2`
professionals, `c0`…`c3` children (first names). Identifier slots are annotated with the label of what they
insert, at the offsets where they land; everything else (event dates, communes, procedure numbers, cars) is
text that must be left alone.
"""

import datetime
import re
from dataclasses import dataclass, field
from random import Random

from pseudo_corpus import names, people

SLOT = re.compile(r"\{([a-z0-9_.]+)(?:\|([a-z]+))?\}", re.IGNORECASE)
CHOICE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
NOTE_DAY = datetime.date(2025, 6, 1)

NAME_FORMS = {"first", "last", "LAST", "birth", "BIRTH", "full", "fl", "fL", "Lf", "lf", "init", "Linit"}
LABELS = {
    "phone": "PHONE",
    "email": "EMAIL",
    "address": "ADDRESS",
    "street": "ADDRESS",
    "dob": "DATE_OF_BIRTH",
    "dobnum": "DATE_OF_BIRTH",
    "workmail": "EMAIL",
    "nir": "NIR",
    "iban": "IBAN",
    "plate": "PLATE",
}


@dataclass
class Template:
    id: str
    style: str
    text: str
    header: dict = field(default_factory=dict)


def parse_templates(source: str) -> list[Template]:
    templates = []
    for block in re.split(r"^### ", source, flags=re.MULTILINE)[1:]:
        header_line, _, body = block.partition("\n")
        header = dict(part.strip().split("=", 1) for part in header_line.split("|"))
        templates.append(
            Template(id=header["id"], style=header["style"], text=body.strip("\n"), header=header)
        )
    return templates


def split_choices(inner: str) -> list[str]:
    options, depth, current = [], 0, ""
    for char in inner:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char == "|" and depth == 0:
            options.append(current)
            current = ""
        else:
            current += char
    return [*options, current]


def apply_modifier(text: str, modifier: str | None) -> str:
    if modifier == "upper":
        return text.upper()
    if modifier == "lower":
        return text.lower()
    if modifier == "noacc":
        return people.fold(text)
    if modifier == "title":
        return text[:1].upper() + text[1:]
    return text


class Note:
    """One note being written: its people, its memorised values, its text and annotations."""

    def __init__(self, template: Template, rng: Random):
        self.template, self.rng = template, rng
        h = template.header
        victim_gender = h.get("victim", "f")
        perp_gender = h.get("perp", "m" if victim_gender == "f" else "f")
        self.p = people.make_person(rng, perp_gender)
        shares_name = victim_gender == "f" and rng.random() < 0.35
        self.v = people.make_person(
            rng, victim_gender, last=self.p.last if shares_name else None, married=True
        )
        if shares_name and not self.v.birth:
            self.v.birth = people.make_last(rng)
        if "birth" in template.text and not self.v.birth:
            self.v.birth = people.make_last(rng)
        self.others = {
            key: people.make_person(rng, rng.choice("ffm"), year_range=(1950, 2000))
            for key in ("x", "y", "pro", "pro2")
        }
        for key, gender in (
            ("x", h.get("x")),
            ("y", h.get("y")),
            ("pro", h.get("pro")),
            ("pro2", h.get("pro2")),
        ):
            if gender:
                self.others[key] = people.make_person(rng, gender, year_range=(1950, 2000))
        kids = rng.sample(names.CHILDREN, 4)
        first_year = max(2008, self.v.dob.year + 18)
        self.children = [
            (name, datetime.date(rng.randrange(first_year, 2025), rng.randrange(1, 13), rng.randrange(1, 29)))
            for name in kids
        ]
        self.memo: dict[str, str] = {}
        self.used_children: set[int] = set()
        self.text = ""
        self.entities: list[list] = []

    def person(self, key: str) -> people.Person:
        return {"v": self.v, "p": self.p}.get(key) or self.others[key]

    def remember(self, key: str, make) -> str:
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def slot(self, name: str) -> tuple[str, str | None]:
        rng = self.rng
        head, _, attr = name.partition(".")
        if re.fullmatch(r"c\d", head):
            index = int(head[1])
            self.used_children.add(index)
            child, dob = self.children[index]
            if attr == "age":
                return str((NOTE_DAY - dob).days // 365), None
            if attr in ("dob", "dobnum"):
                return people.french_date(dob, rng, numeric_only=attr == "dobnum"), "DATE_OF_BIRTH"
            return child, "PERSON"
        if head in ("v", "p", "x", "y", "pro", "pro2"):
            return self.person_slot(self.person(head), attr)
        return self.plain_slot(name), None

    def person_slot(self, who: people.Person, attr: str) -> tuple[str, str | None]:
        rng = self.rng
        female = who.gender == "f"
        gendered = {
            "e": "e" if female else "",
            "Mme": "Mme" if female else "M.",
            "Madame": "Madame" if female else "Monsieur",
            "il": "elle" if female else "il",
            "Il": "Elle" if female else "Il",
            "le": "la" if female else "le",
        }
        if attr in gendered:
            return gendered[attr], None
        if attr in NAME_FORMS:
            if attr == "first":
                return who.first, "PERSON"
            if attr in ("last", "LAST"):
                return (who.last.upper() if attr == "LAST" else who.last), "PERSON"
            if attr in ("birth", "BIRTH"):
                birth = who.birth or who.last
                return (birth.upper() if attr == "BIRTH" else birth), "PERSON"
            if attr == "init":
                return who.initials(rng), "PERSON"
            if attr == "Linit":
                return who.last.replace("'", " ").split()[-1][0] + ".", "PERSON"
            return who.name_forms(rng, attr), "PERSON"
        value = {
            "phone": lambda: rng.choice(people.phone_forms(who.phone)),
            "email": lambda: who.email if rng.random() < 0.85 else who.email.upper(),
            "address": lambda: who.address.full_forms(rng),
            "street": lambda: who.address.street_forms(rng),
            "dob": lambda: people.french_date(who.dob, rng),
            "dobnum": lambda: people.french_date(who.dob, rng, numeric_only=True),
            "nir": lambda: people.nir_forms(who.nir, rng),
            "iban": lambda: people.iban_forms(who.iban, rng),
            "plate": lambda: people.plate_forms(who.plate, rng),
            "car": lambda: who.car,
            "brand": lambda: names.BRANDS[who.car],
            "age": lambda: str((NOTE_DAY - who.dob).days // 365),
            "commune": lambda: who.address.commune,
            "workmail": lambda: people.work_email(who, rng),
        }[attr]()
        return value, LABELS.get(attr)

    def plain_slot(self, name: str) -> str:
        rng = self.rng
        base = name.rstrip("0123456789")

        def event_date():
            d = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(-420, 200))
            return people.french_date(d, rng)

        makers = {
            "date": event_date,
            "day": lambda: (
                people.french_date(datetime.date(2025, rng.randrange(1, 13), rng.randrange(1, 29)), rng)
                .rsplit(" ", 1)[0]
                .rsplit("/", 1)[0]
            ),
            "time": lambda: rng.choice(
                [
                    f"{rng.randrange(0, 24)}h{rng.randrange(0, 60):02d}",
                    f"{rng.randrange(0, 24)} h {rng.randrange(0, 60):02d}",
                    f"{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}",
                    f"{rng.randrange(8, 23)}h",
                ]
            ),
            "commune": lambda: rng.choice(names.TERRITORY)[0],
            "city": lambda: rng.choice(names.AROUND)[0],
            "proc": lambda: rng.choice(
                [
                    f"{rng.randrange(100, 9999):05d}/2025",
                    f"2025/{rng.randrange(1, 9999):06d}",
                    f"{rng.randrange(1000, 9999)}/{rng.randrange(10, 999):05d}/2025",
                ]
            ),
            "parquet": lambda: f"25{rng.randrange(100, 365)}{rng.randrange(0, 999999):06d}",
            "rg": lambda: f"25/{rng.randrange(100, 9999):05d}",
            "siret": lambda: "".join(str(rng.randrange(10)) for _ in range(14)),
            "caf": lambda: str(rng.randrange(1000000, 9999999)),
            "n": lambda: str(rng.randrange(2, 9)),
        }
        return self.remember(name, makers[base])

    def write(self):
        text = CHOICE.sub(lambda m: self.rng.choice(split_choices(m.group(1))), self.template.text)
        out, position = [], 0
        for match in SLOT.finditer(text):
            out.append(text[position : match.start()])
            start = sum(len(part) for part in out)
            value, label = self.slot(match.group(1))
            value = apply_modifier(value, match.group(2))
            out.append(value)
            if label:
                self.entities.append([start, start + len(value), label, value])
            position = match.end()
        out.append(text[position:])
        self.text = "".join(out)
        for start, end, _label, value in self.entities:
            assert self.text[start:end] == value, (self.template.id, start, end, value)  # noqa: S101
        return self

    def known(self) -> dict:
        """What the situation's record would hold; some fields missing, as in real records."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            return {}
        known = {}
        for key, who in (("victim", self.v), ("perpetrator", self.p)):
            if key == "perpetrator" and rng.random() < 0.1:
                continue
            phone = who.phone
            record = {
                "first_name": who.first,
                "last_name": who.last,
                "birth_name": who.birth,
                "phone": rng.choice(
                    [phone, " ".join(phone[i : i + 2] for i in range(0, 10, 2)), "+33" + phone[1:]]
                ),
                "email": who.email,
                "address": who.address.canonical(),
                "date_of_birth": who.dob.isoformat(),
            }
            keep = 0.75 if roll < 0.2 else 0.97
            known[key] = {
                k: v
                for k, v in record.items()
                if v and (k in ("first_name", "last_name") or rng.random() < keep)
            }
        if self.used_children:
            known["children"] = [self.children[i][0] for i in sorted(self.used_children)]
        return known
