from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.loader import BUNDLED_LIST, BUNDLED_SOURCE, RegionListError, load_region_list


class Command(BaseCommand):
    help = "Load a Kemendagri region list (default: the bundled Banten list). Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=BUNDLED_LIST)
        parser.add_argument("--source", default=None, help="which decree or release the list is")

    def handle(self, *args, file: Path, source: str | None, **options) -> None:
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            result = load_region_list(
                file.read_text(encoding="utf-8-sig"),
                source=source or (BUNDLED_SOURCE if file == BUNDLED_LIST else file.name),
            )
        except RegionListError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Regions: {result.added} added, {result.renamed} renamed, "
            f"{result.retired} retired (kept, have data), {result.deleted} deleted."
        )
