import sys

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from regions.models import Role
from regions.services import create_user


class Command(BaseCommand):
    help = "Create a user with a role and a Kemendagri region (village heads, officials, cadres)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", required=True, help="Kemendagri code, e.g. 36.01.01.2001")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args, username, role, region, email, password_stdin, **options) -> None:
        password = sys.stdin.readline().rstrip("\n") if password_stdin else None
        try:
            user = create_user(
                username=username, role=role, region_code=region, email=email, password=password
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        how = "with the given password" if password else "without a password (set one to sign in)"
        self.stdout.write(self.style.SUCCESS(f"Created {user.username}: {role} in {region}, {how}."))
