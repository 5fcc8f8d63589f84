"""Render a check CheckReport: a terminal table, GitHub Actions annotations with a Markdown step
summary, and JUnit XML for CI systems that read test reports."""

from __future__ import annotations

from collections import Counter

from catalog_tool.model.check import CheckFinding, CheckReport, Severity


def summary_line(report: CheckReport) -> str:
    s = report.stats
    verdict = "valid" if report.valid else "INVALID"
    return (f"{verdict}: {s.get('errors', 0)} errors, {s.get('warnings', 0)} warnings "
            f"({s.get('editions', 0)} editions, {s.get('rows', 0)} rows, {s.get('other_tables', 0)} other tables)")


def table(report: CheckReport) -> str:
    from catalog_tool.render.table import render_records

    records = [{"severity": f.severity.value, "code": f.code, "file": f.file or "", "line": f.row or "",
                "field": f.field or "", "message": f.message} for f in report.findings]
    body = render_records(records, "table", maxwidth=90) + "\n" if records else ""
    return body + summary_line(report)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: CheckFinding) -> str:
    """`::error file=…,line=…,title=…::message`, escaped as the GitHub workflow commands require."""
    props = []
    if f.file:
        props.append(f"file={_escape_property(f.file)}")
    if f.row:
        props.append(f"line={f.row}")
    props.append(f"title={_escape_property(f.code)}")
    where = f" [{f.field}]" if f.field else ""
    return f"::{f.severity.value} {','.join(props)}::{_escape_data(f.message + where)}"


def github(report: CheckReport) -> str:
    return "\n".join([annotation(f) for f in report.findings] + [summary_line(report)])


def markdown_summary(report: CheckReport, limit: int = 50) -> str:
    """The step summary: verdict, counts per check code, and the first findings."""
    s = report.stats
    lines = [f"## catalog-tool check: {'✅ valid' if report.valid else '❌ invalid'}", "",
             f"{s.get('errors', 0)} errors, {s.get('warnings', 0)} warnings in {s.get('editions', 0)} editions "
             f"({s.get('rows', 0)} rows).", ""]
    if report.findings:
        counts = Counter((f.code, f.severity.value) for f in report.findings)
        lines += ["| check | severity | findings |", "|---|---|---|"]
        lines += [f"| `{code}` | {sev} | {n} |" for (code, sev), n in sorted(counts.items())]
        lines += ["", "| severity | file | line | message |", "|---|---|---|---|"]
        for f in report.findings[:limit]:
            msg = f.message.replace("|", "\\|")
            lines.append(f"| {f.severity.value} | {f.file or ''} | {f.row or ''} | {msg} |")
        if len(report.findings) > limit:
            lines.append(f"\n… and {len(report.findings) - limit} more (see the annotations).")
    return "\n".join(lines) + "\n"


def junit(report: CheckReport) -> bytes:
    """One testsuite per check family; a passing testcase when it found no error, else one failing
    testcase per error. Warnings go to the suite's system-out."""
    from lxml import etree

    from catalog_tool.checks import CHECKS

    families = list(CHECKS) + sorted({f.code.split(".")[0] for f in report.findings} - set(CHECKS))
    root = etree.Element("testsuites", name="catalog-tool check")
    total_tests = total_failures = 0
    for family in families:
        found = [f for f in report.findings if f.code.split(".")[0] == family]
        errors = [f for f in found if f.severity is Severity.error]
        suite = etree.SubElement(root, "testsuite", name=family)
        if not errors:
            etree.SubElement(suite, "testcase", classname=f"check.{family}", name=family)
        for f in errors:
            case = etree.SubElement(suite, "testcase", classname=f"check.{family}",
                                    name=f"{f.file or '-'}:{f.row or 0} {f.code}", file=f.file or "")
            failure = etree.SubElement(case, "failure", message=f.message, type=f.code)
            failure.text = f"{f.file or '-'} line {f.row or '-'} field {f.field or '-'}: {f.message}"
        warnings = [f for f in found if f.severity is Severity.warning]
        if warnings:
            etree.SubElement(suite, "system-out").text = "\n".join(
                f"warning {f.code} {f.file or '-'}:{f.row or '-'}: {f.message}" for f in warnings)
        tests = max(len(errors), 1)
        suite.set("tests", str(tests))
        suite.set("failures", str(len(errors)))
        total_tests += tests
        total_failures += len(errors)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
