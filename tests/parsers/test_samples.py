"""The documents `make run` parses: each reads as a report, with exactly its known findings."""

from __future__ import annotations

import pytest

from govreports.parsers import parse_path
from tests.support import FIXTURES

SAMPLES = {
    "jiaxing-eib-2022.txt": ("嘉兴市经济和信息化局", 2022, "2021", []),
    "kecheng-zjj-2022-flat-lost-cells.txt": ("衢州市柯城区住房和城乡建设局", 2022, "2021", []),
    "lucheng-scjg-2021-transposed.html": ("温州市鹿城区市场监督管理局", 2021, "2021", []),
    "qingtian-nrp-2023.pdf": ("青田县自然资源和规划局", 2023, "2021", []),
    "ningbo-zrzy-2022-gbk-declared-utf8.html": ("宁波市自然资源和规划局", 2022, "2021", ["A1", "prose"]),
}


def test_samples_folder_is_what_we_expect() -> None:
    assert sorted(p.name for p in (FIXTURES / "samples").iterdir()) == sorted(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample(name: str) -> None:
    agency, year, template, rules = SAMPLES[name]
    report = parse_path(FIXTURES / "samples" / name)
    assert (report.agency, report.year, report.template) == (agency, year, template)
    assert len(report.facts) == 200
    assert [i.rule for i in report.issues] == rules
