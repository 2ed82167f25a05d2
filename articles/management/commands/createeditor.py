import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.editors import ensure_editors_group


class Command(BaseCommand):
    help = "Create an editor account (staff, in the Editors group) or add an existing user to it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="read the password from this environment variable instead of prompting",
        )

    def handle(self, *args, username, email, password_from_env, **options):
        import os

        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            if password_from_env:
                password = os.environ.get(password_from_env) or ""
            else:
                password = getpass.getpass(f"Password for {username}: ")
                if password != getpass.getpass("Password (again): "):
                    raise CommandError("The passwords did not match.")
            candidate = user_model(username=username, email=email)
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user = user_model.objects.create_user(username, email=email, password=password)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(ensure_editors_group())
        self.stdout.write(f"{username} is an editor: log in at /admin/.")
