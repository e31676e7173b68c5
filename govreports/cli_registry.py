"""``govreports registry``: the agency registry's one format is TOML; these commands check and convert.

``registry import`` turns a CSV list of agencies (``name`` plus any registry fields as columns;
``site_url`` is read as ``start_url``) into a TOML registry; ``registry check`` reads a registry as
the crawler and the loader would and lists its agencies.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli import cli
from .output import destination, output_options, write_frame


@cli.group()
def registry() -> None:
    """The agency registry (TOML, as registry/agencies.toml): check a file, or import a CSV."""


@registry.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The TOML registry to write (atomically) instead of standard output.",
)
def import_(csv_file: Path, output: Path | None) -> None:
    """Convert a CSV list of agencies (a header row with `name` and registry fields) to a TOML registry.

    Empty cells are left out, never written as empty strings; an unknown column or a duplicate name
    is an error naming the line.
    """
    from govreports.scraper.registry import entries_from_csv, to_toml

    entries = entries_from_csv(csv_file)
    with destination(output) as out:
        out.write(to_toml(entries, source=csv_file.name))
    if output is not None:
        click.echo(f"{len(entries)} agencies → {output}", err=True)


@registry.command("check")
@click.argument("registry_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--crawl/--load",
    "for_crawl",
    default=True,
    show_default=True,
    help="--crawl: every entry needs a start_url (as `crawl`/`run` read it); --load: names suffice (as `load --agencies`).",
)
@output_options(what="one agency a line")
def check_(registry_file: Path, for_crawl: bool, fmt: str, output: Path | None) -> None:
    """Read a registry as the crawler (or the loader) would and list its agencies; errors name the entry."""
    import pandas as pd

    from govreports.scraper.registry import load_registry, read_entries

    if for_crawl:
        load_registry(registry_file)  # families and URLs checked as the crawler does
    entries = read_entries(registry_file, require_start_url=for_crawl)
    columns = ["name", "region_code", "level", "parent", "start_url", "family"]
    frame = pd.DataFrame([[e.get(c) for c in columns] for e in entries], columns=columns)
    with destination(output) as out:
        write_frame(frame, fmt, out)
