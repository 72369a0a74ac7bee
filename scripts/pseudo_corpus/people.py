"""Fictional people and their identifiers, written in the many forms French writers use.

Every identifier is valid where validity is defined (NIR key, IBAN checksum and RIB key, plate letters), so
the corpus tests the engine's validation, not its tolerance of garbage.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field
from random import Random

from pseudo_corpus import names

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"  # no I, O, U in the SIV system
STREET_ABBREVIATIONS = {
    "rue": "r.",
    "avenue": "av.",
    "boulevard": "bd",
    "impasse": "imp.",
    "chemin": "ch.",
    "allée": "all.",
    "route": "rte",
    "place": "pl.",
}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def french_date(d: datetime.date, rng: Random, *, numeric_only=False) -> str:
    """One of the ways a date is written in a French note."""
    day = "1er" if d.day == 1 and rng.random() < 0.7 else str(d.day)
    forms = [
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{d.year}-{d.month:02d}-{d.day:02d}",
        f"{d.day:02d}-{d.month:02d}-{d.year}",
        f"{d.day}/{d.month}/{d.year}",
    ]
    if not numeric_only:
        forms += [f"{day} {MONTHS[d.month - 1]} {d.year}"] * 4 + [
            f"{day} {MONTHS[d.month - 1].upper()} {d.year}"
        ]
    return rng.choice(forms)


def phone_forms(digits: str) -> list[str]:
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    national = digits[1:]
    intl_pairs = [national[0]] + [national[i : i + 2] for i in range(1, 9, 2)]
    return [
        " ".join(pairs),
        " ".join(pairs),
        digits,
        ".".join(pairs),
        "-".join(pairs),
        "\u00a0".join(pairs),
        "+33 " + " ".join(intl_pairs),
        "+33" + national,
        "0033 " + " ".join(intl_pairs),
        "+33 (0)" + " ".join(intl_pairs),
        "/".join(pairs),
        "+33 " + national[0] + " " + " ".join(pairs[1:]),
    ]


def nir_key(body: str) -> int:
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return 97 - number % 97


def iban_check(bban: str, country="FR") -> str:
    rearranged = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{98 - number % 97:02d}"


@dataclass
class Address:
    number: str
    street: str  # "rue des Lilas" or "" for a hamlet
    commune: str
    postal: str
    hamlet: str = ""
    residence: str = ""
    building: str = ""
    flat: str = ""

    def canonical(self) -> str:
        parts = []
        if self.residence:
            parts += [f"Résidence {self.residence}", f"bâtiment {self.building}", f"appartement {self.flat}"]
        if self.hamlet:
            parts.append(f"lieu-dit {self.hamlet}")
        else:
            parts.append(f"{self.number} {self.street}")
        return ", ".join(parts) + f", {self.postal} {self.commune}"

    def street_forms(self, rng: Random) -> str:
        """The street part alone, as a writer would put it ("12 rue des Lilas", "12, r. des lilas"…)."""
        if self.hamlet:
            return rng.choice(
                [f"lieu-dit {self.hamlet}", f"lieu-dit « {self.hamlet} »", f"lieu-dit {self.hamlet}"]
            )
        street = self.street
        kind, _, rest = street.partition(" ")
        roll = rng.random()
        if roll < 0.15 and kind in STREET_ABBREVIATIONS:
            street = f"{STREET_ABBREVIATIONS[kind]} {rest}"
        elif roll < 0.25:
            street = street.upper()
        elif roll < 0.32:
            street = street.lower()
        sep = rng.choice([" ", " ", " ", ", "])
        text = f"{self.number}{sep}{street}"
        if self.residence:
            text = f"résidence {self.residence}, bât. {self.building}, appt {self.flat}, " + text
        return text

    def full_forms(self, rng: Random) -> str:
        commune = self.commune.upper() if rng.random() < 0.3 else self.commune
        return self.street_forms(rng) + rng.choice([", ", " ", " – ", ", "]) + f"{self.postal} {commune}"


@dataclass
class Person:
    gender: str
    first: str
    last: str
    birth: str | None
    dob: datetime.date
    phone: str
    email: str
    address: Address
    nir: str
    iban: str
    plate: str
    car: str
    extra: dict = field(default_factory=dict)

    def name_forms(self, rng: Random, form: str) -> str:
        last, first = self.last, self.first
        if form == "fl":
            return f"{first} {last}"
        if form == "fL":
            return f"{first} {last.upper()}"
        if form == "Lf":
            return f"{last.upper()} {first}"
        if form == "lf":
            return f"{last} {first}"
        return self.name_forms(rng, rng.choice(["fl", "fl", "fL", "Lf", "lf"]))

    def initials(self, rng: Random) -> str:
        firsts = "-".join(p[0] + "." for p in self.first.split("-"))
        last_parts = [p for p in self.last.replace("-", " ").split() if p[0].isupper()]
        lasts = "".join(p[0] for p in last_parts[:1])
        return rng.choice([f"{firsts} {lasts}.", f"{firsts}{lasts}.", f"{firsts} {lasts}."])


def make_phone(rng: Random, mobile=True) -> str:
    if mobile:
        head = rng.choice(["06", "06", "07"])
    else:
        head = rng.choice(["02 51", "02 41", "02 40", "05 49"]).replace(" ", "")
    return head + "".join(str(rng.randrange(10)) for _ in range(10 - len(head)))


def make_email(rng: Random, first: str, last: str, dob: datetime.date) -> str:
    f = fold(first).lower().replace(" ", "").replace("'", "")
    lt = fold(last).lower().replace(" ", "").replace("'", "")
    year = f"{dob.year % 100:02d}"
    local = rng.choice(
        [
            f"{f}.{lt}",
            f"{f}.{lt}{year}",
            f"{f[0]}{lt}",
            f"{f}_{lt}",
            f"{f}{lt}{rng.randrange(10, 99)}",
            f"{f}.{lt[0]}{year}",
            f"{lt}.{f}",
            f"{f}-{lt}",
            f"{f[:4]}{year}{lt[:3]}",
        ]
    )
    return f"{local}@{rng.choice(names.MAIL_DOMAINS)}"


def work_email(who: "Person", rng: Random) -> str:
    local = ".".join(fold(part).lower() for part in (who.first, who.last.replace(" ", "").replace("'", "")))
    return f"{local}@{rng.choice(names.WORK_DOMAINS)}"


def make_nir(rng: Random, gender: str, dob: datetime.date) -> str:
    department = rng.choice(["85", "85", "85", "49", "44", "79", "75", "2A", "99", "86", "35"])
    commune = f"{rng.randrange(1, 400):03d}"
    order = f"{rng.randrange(1, 999):03d}"
    body = f"{1 if gender == 'm' else 2}{dob.year % 100:02d}{dob.month:02d}{department}{commune}{order}"
    return body + f"{nir_key(body):02d}"


def nir_forms(nir: str, rng: Random) -> str:
    parts = [nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]]
    return rng.choice(
        [
            " ".join(parts),
            nir,
            " ".join(parts[:-1]) + " - " + parts[-1],
            nir[:13] + " " + nir[13:],
            " ".join(parts),
        ]
    )


def make_iban(rng: Random) -> str:
    bank = f"{rng.choice([30004, 30002, 10278, 14445, 16606, 12548, 20041, 15489])}"
    branch = f"{rng.randrange(10000, 99999)}"
    account = "".join(str(rng.randrange(10)) for _ in range(11))
    rib = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{rib:02d}"
    return f"FR{iban_check(bban)}{bban}"


def iban_forms(iban: str, rng: Random) -> str:
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return rng.choice([grouped, grouped, iban, grouped.replace("FR", "FR", 1)])


def make_plate(rng: Random) -> str:
    if rng.random() < 0.7:
        letters = lambda: "".join(rng.choice(PLATE_LETTERS) for _ in range(2))  # noqa: E731
        return f"{letters()}-{rng.randrange(1, 999):03d}-{letters()}"
    return (
        f"{rng.randrange(1, 9999)} {''.join(rng.choice(PLATE_LETTERS) for _ in range(rng.choice([2, 3])))} "
        + rng.choice(["85", "49", "44", "79"])
    )


def plate_forms(plate: str, rng: Random) -> str:
    if plate.count("-") == 2:
        return rng.choice([plate, plate, plate.replace("-", " "), plate.replace("-", "")])
    return plate


def make_address(rng: Random, territory=True) -> Address:
    commune, postal = rng.choice(names.TERRITORY if territory else names.AROUND)
    number = str(rng.randrange(1, 120)) + rng.choice(["", "", "", "", "", " bis", " ter", "B"])
    roll = rng.random()
    if roll < 0.12:
        return Address("", "", commune, postal, hamlet=rng.choice(names.HAMLETS))
    if roll < 0.22:
        return Address(
            number,
            rng.choice(names.STREETS),
            commune,
            postal,
            residence=rng.choice(names.RESIDENCES),
            building=rng.choice("ABCD"),
            flat=str(rng.randrange(1, 40)),
        )
    return Address(number, rng.choice(names.STREETS), commune, postal)


def make_last(rng: Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(names.COMPOUND)
    if roll < 0.25:
        return f"{rng.choice(names.SIMPLE)}-{rng.choice(names.SIMPLE)}"
    return rng.choice(names.SIMPLE)


def make_person(
    rng: Random, gender: str, *, year_range=(1962, 2002), last: str | None = None, married=False
) -> Person:
    first = rng.choice(names.WOMEN if gender == "f" else names.MEN)
    birth = None
    own_last = last or make_last(rng)
    if married and gender == "f" and rng.random() < 0.6:
        birth = make_last(rng)
    dob = datetime.date(rng.randrange(*year_range), rng.randrange(1, 13), rng.randrange(1, 29))
    return Person(
        gender=gender,
        first=first,
        last=own_last,
        birth=birth,
        dob=dob,
        phone=make_phone(rng),
        email=make_email(rng, first, own_last, dob),
        address=make_address(rng),
        nir=make_nir(rng, gender, dob),
        iban=make_iban(rng),
        plate=make_plate(rng),
        car=rng.choice(names.CARS),
    )
