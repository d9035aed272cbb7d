"""A full `make bench` rewrites docs/performance.md; the verdicts against the targets and the load section
are written by others and must survive it."""

from bench import run


def test_a_full_bench_run_keeps_the_target_verdicts_and_the_load_section(tmp_path, monkeypatch):
    doc = tmp_path / "docs" / "performance.md"
    doc.parent.mkdir()
    doc.write_text(
        "# 性能 / Performance\n\nold figures\n\n"
        f"{run.TARGETS_HEADING} (issue 9)\n\n| 目标 | 本次 |\n|---|---|\n| 导入 | 未达 |\n\n"
        "## 案件 / Cases\n\nold cases\n\n"
        f"{run.LOAD_HEADING}\n\n<!-- load:begin (load/run.py) -->\nlocust 0 failures\n<!-- load:end -->\n"
    )
    monkeypatch.setattr(run, "ROOT", tmp_path)
    run.write_markdown(
        {"when": "2026-12-03", "machine": "x", "province": {}, "gen_province_seconds": None, "results": []}
    )
    text = doc.read_text()
    assert "old figures" not in text and "old cases" not in text
    assert text.count(run.TARGETS_HEADING) == 1 and "| 导入 | 未达 |" in text
    assert text.index(run.TARGETS_HEADING) < text.index(run.LOAD_HEADING)
    assert text.rstrip().endswith("<!-- load:end -->") and "locust 0 failures" in text
