from django.core.management.base import BaseCommand

from articles.gazetteer_db import load_data_files


class Command(BaseCommand):
    help = (
        "Load the shipped gazetteer (articles/data/gazetteer/: places and actors) into the "
        "database. Safe to re-run: rows are matched by slug and aliases editors added are kept."
    )

    def handle(self, *args, **options):
        report = load_data_files()
        self.stdout.write(
            f"Gazetteer: {report.locations_created} places created, "
            f"{report.locations_updated} updated; {report.villages_created} villages created, "
            f"{report.villages_updated} updated; {report.actors_created} actors created, "
            f"{report.actors_updated} updated; {report.links} actor links, "
            f"{report.dated_links} of them dated (lineage.csv)."
        )
