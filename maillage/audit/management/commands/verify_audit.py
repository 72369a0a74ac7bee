from django.core.management.base import BaseCommand, CommandError

from maillage.audit.verify import parse_expected_head, verify_chain


class Command(BaseCommand):
    help = (
        "Vérifie l'intégrité du journal d'audit (empreintes, chaînage, numéros). Code de sortie 1 à la "
        "première entrée altérée, qui est nommée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="NUMÉRO:EMPREINTE",
            help="Une tête relevée auparavant avec audit_head : le journal doit toujours la contenir.",
        )

    def handle(self, *args, expect_head=None, **options):
        expect = None
        if expect_head:
            try:
                expect = parse_expected_head(expect_head)
            except ValueError as error:
                raise CommandError(str(error)) from None
        result = verify_chain(expect=expect)
        if not result.ok:
            raise CommandError(result.summary, returncode=1)
        message = f"{result.summary} Vérifié en {result.duration:.2f} s."
        if expect is not None:
            message += f"\nLa tête relevée n° {expect[0]} est toujours présente et intacte."
        self.stdout.write(message)
