"""National emergency and help numbers shown in the network directory (DOMAIN.md §6).

One list, read by the directory page and the API, so that both always show the same numbers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EmergencyNumber:
    number: str  # as written for people, e.g. "116 006"
    label: str
    description: str
    sms: bool = False  # reached by text message rather than by a call

    @property
    def dial(self) -> str:
        return self.number.replace(" ", "")

    @property
    def href(self) -> str:
        return f"{'sms' if self.sms else 'tel'}:{self.dial}"


EMERGENCY_NUMBERS: tuple[EmergencyNumber, ...] = (
    EmergencyNumber("17", "Police secours", "Police ou gendarmerie, en cas de danger immédiat."),
    EmergencyNumber(
        "112", "Numéro d'urgence européen", "Depuis n'importe quel téléphone, partout en Europe."
    ),
    EmergencyNumber(
        "114",
        "Urgence par SMS",
        "Pour les personnes qui ne peuvent pas parler : sourdes, malentendantes, ou en danger "
        "si elles sont entendues.",
        sms=True,
    ),
    EmergencyNumber(
        "3919",
        "Violences Femmes Info",
        "Écoute, information et orientation, 24 h/24 et 7 j/7, gratuit et anonyme.",
    ),
    EmergencyNumber("119", "Allô Enfance en danger", "Enfants en danger ou en risque de l'être, 24 h/24."),
    EmergencyNumber("116 006", "France Victimes", "Aide aux victimes, 7 j/7, appel gratuit."),
    EmergencyNumber(
        "115", "Hébergement d'urgence", "Mise à l'abri et hébergement d'urgence (SIAO), 24 h/24."
    ),
)
