"""Random but reproducible draws for the demo: exact shares in random order, fictional people."""

import datetime
import random

from maillage.situations.enums import ContactChannel, PersonRole, Sex, ViolenceType


def deck(rng: random.Random, shares: dict, count: int) -> list:
    """`count` values in the given proportions (largest remainders), shuffled: exact shares, random order."""
    total = sum(shares.values())
    exact = {key: share * count / total for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[
        : count - sum(counts.values())
    ]:
        counts[key] += 1
    values = [key for key, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


class Draws:
    """Draws from `self.rng` (a seeded `random.Random`) and the names and texts of `self.data`."""

    rng: random.Random
    data: dict
    now: datetime.datetime
    tz: datetime.tzinfo

    def moment(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = self.rng.randint(8, 18) if hour is None else hour
        return datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz)

    def pick(self, values):
        return self.rng.choice(list(values))

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def phone(self) -> str:
        return "06 " + " ".join(f"{self.rng.randint(0, 99):02d}" for _ in range(4))

    def victim(self, woman: bool) -> dict:
        names = self.data["names"]
        person = {
            "role": PersonRole.VICTIM,
            "sex": Sex.FEMALE if woman else Sex.MALE,
            "first_name": self.pick(names["female" if woman else "male"]),
            "last_name": self.pick(names["last"]),
            "phone": self.phone(),
        }
        if self.rng.random() < 0.5:
            age = self.rng.randint(19, 67)
            person["birth_date"] = datetime.date(
                self.now.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
        if self.rng.random() < 0.3:
            address = f"{self.rng.randint(1, 60)} {self.pick(names['streets'])}"
            person["address"] = address
        if self.rng.random() < 0.25:
            person["email"] = (
                f"{person['first_name'][0].lower()}.{self.rng.randint(100, 999)}@courriel.invalid"
            )
        return person

    def persons(self, woman: bool, children: int) -> list[dict]:
        names = self.data["names"]
        victim = self.victim(woman)
        persons = [victim]
        for _ in range(children):
            persons.append(
                {
                    "role": PersonRole.CHILD,
                    "first_name": self.pick(names["children"]),
                    "age": self.rng.randint(0, 17),
                    "last_name": victim["last_name"] if self.rng.random() < 0.5 else "",
                }
            )
        # Most alleged perpetrators are men; some are not named (unknown to the reporter).
        perpetrator = {"role": PersonRole.PERPETRATOR, "sex": Sex.MALE if woman else Sex.FEMALE}
        if self.rng.random() < 0.05:
            perpetrator["sex"] = Sex.FEMALE if woman else Sex.MALE
        if self.rng.random() < 0.8:
            perpetrator["first_name"] = self.pick(
                names["male" if perpetrator["sex"] == Sex.MALE else "female"]
            )
            perpetrator["last_name"] = self.pick(names["last"])
        persons.append(perpetrator)
        return persons

    def safe_contacts(self) -> list[dict]:
        rates = {
            ContactChannel.PHONE: 0.55,
            ContactChannel.SMS: 0.7,
            ContactChannel.VOICEMAIL: 0.15,
            ContactChannel.EMAIL: 0.3,
            ContactChannel.POST: 0.1,
        }
        contacts = []
        for channel, rate in rates.items():
            allowed = self.rng.random() < rate
            contacts.append(
                {
                    "channel": channel,
                    "allowed": allowed,
                    "safe_hours": self.pick(self.data["safe_hours"])
                    if allowed and self.rng.random() < 0.5
                    else "",
                    "code_word": self.pick(self.data["code_words"])
                    if allowed and self.rng.random() < 0.15
                    else "",
                }
            )
        return contacts

    def sources(self) -> list[str]:
        first = self.weighted(self.data["source_weights"])
        second = self.data["second_source"].get(first)
        return [first, second] if second and self.rng.random() < 0.3 else [first]

    def violence_types(self, children: int) -> list[str]:
        types = [t for t, rate in self.data["violence_rates"].items() if self.rng.random() < rate]
        if children and self.rng.random() < 0.7:
            types.append(ViolenceType.CHILDREN_EXPOSED)
        return types or [ViolenceType.PSYCHOLOGICAL]
