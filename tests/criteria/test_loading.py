"""Loading data files: idempotent, all or nothing, and loud about changes to published sets."""

import pytest
from django.core.management import CommandError, call_command

from apps.criteria.loading import CriteriaDataError, criteria_load
from apps.criteria.models import (
    ClassificationNode,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    Option,
    Section,
    Sheet,
    SheetPart,
)

pytestmark = pytest.mark.django_db

MODELS = (
    CriteriaSet,
    ClassificationNode,
    Sheet,
    SheetPart,
    Section,
    CriterionGroup,
    Criterion,
    Option,
)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every criteria table, all columns: equal snapshots mean nothing changed."""
    return {
        model.__name__: sorted(
            tuple(str(v) for v in row)
            for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for model in MODELS
    }


def test_first_load_creates_everything_and_a_second_load_changes_nothing(data_copy):
    path = data_copy()
    first = criteria_load(paths=[path])
    assert first.created["criteriaset"] == 1
    assert first.created["sheet"] == 26
    assert first.created["criterion"] == 787
    assert first.created["classificationnode"] == 6 + 17 + 16
    assert (
        first.created["option"]
        == Option.objects.filter(criterion__sheet__criteria_set__code="TEST/2026").count()
    )
    before = snapshot()

    second = criteria_load(paths=[path])

    assert second.changed == 0
    assert sum(second.unchanged.values()) == sum(first.created.values())
    assert snapshot() == before


def test_the_command_reports_and_is_idempotent(qd26, capsys):
    before = snapshot()
    call_command("load_criteria")
    assert "created: 0; updated: 0; deleted: 0" in capsys.readouterr().out
    assert snapshot() == before


@pytest.mark.parametrize(
    ("sheet", "code", "option"),
    [(12, "6.3", 2), (26, "17", 1)],  # the last criterion of the file: after thousands of writes
)
def test_a_malformed_file_names_the_position_and_changes_nothing(data_copy, sheet, code, option):
    def corrupt(data):
        criterion = next(c for c in data["sheets"][sheet - 1]["criteria"] if c["code"] == code)
        criterion["options"][option - 1]["points"] = "mười"

    path = data_copy(corrupt)
    before = snapshot()

    with pytest.raises(CommandError) as error:
        call_command("load_criteria", str(path))

    message = str(error.value)
    assert path.name in message
    assert f"sheet {sheet}, criterion {code}, option {option}" in message
    assert "'points' must be a number" in message
    assert snapshot() == before
    assert not CriteriaSet.objects.filter(code="TEST/2026").exists()


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format_version": 1,\n  "criteria_set": {', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json: not valid JSON at line 2"):
        call_command("load_criteria", str(path))


def test_unknown_format_version_is_refused(data_copy):
    path = data_copy(lambda data: data.update(format_version=2))
    with pytest.raises(CriteriaDataError, match="format_version 2 is not supported"):
        criteria_load(paths=[path])


def test_structural_errors_name_the_position(data_copy):
    def bad_applicability(data):
        story = next(c for c in data["sheets"][6]["criteria"] if c["code"] == "5.2")
        story["applies_when"]["criterion"] = "9.9"

    with pytest.raises(CriteriaDataError, match=r"sheet 7, criterion 5.2, applies_when: '9.9'"):
        criteria_load(paths=[data_copy(bad_applicability)])

    def renumbered(data):
        data["sheets"][0]["criteria"][0]["options"][1]["number"] = 5

    with pytest.raises(
        CriteriaDataError, match=r"sheet 1, criterion 1.1, option #2: options must be numbered"
    ):
        criteria_load(paths=[data_copy(renumbered)])


def test_a_changed_published_set_fails_loudly_unless_replace(qd26, data_copy):
    def rescore(data):
        criterion = next(c for c in data["sheets"][6]["criteria"] if c["code"] == "1.3")
        criterion["options"][0]["points"] = 0  # someone edits a printed value in the file

    path = data_copy(rescore, code="QD26/2026")
    before = snapshot()
    with pytest.raises(
        CommandError,
        match=r"sheet 7, criterion 1.3, option 1: the published set would change \(points\)",
    ):
        call_command("load_criteria", str(path))
    assert snapshot() == before

    report = criteria_load(paths=[path], replace=True)

    assert report.updated == {"option": 1}
    assert (
        Option.objects.get(criterion__sheet__number=7, criterion__code="1.3", number=1).points == 0
    )


def test_a_published_set_gains_no_row_without_replace(qd26, data_copy):
    def add_option(data):
        criterion = next(c for c in data["sheets"][6]["criteria"] if c["code"] == "1.7")
        criterion["options"].append({**criterion["options"][-1], "number": 3})

    path = data_copy(add_option, code="QD26/2026")
    with pytest.raises(
        CriteriaDataError, match=r"criterion 1.7, option 3: the published set would gain"
    ):
        criteria_load(paths=[path])


def test_rows_missing_from_the_file_are_deleted_only_with_replace(data_copy):
    path = data_copy()
    criteria_load(paths=[path])

    def drop_last_option(data):
        data["sheets"][6]["criteria"][0]["options"].pop()

    smaller = data_copy(drop_last_option, name="smaller.json")
    with pytest.raises(CriteriaDataError, match=r"1 options in the database are not in the file"):
        criteria_load(paths=[smaller])

    report = criteria_load(paths=[smaller], replace=True)
    assert report.deleted == {"options": 1}
    assert report.created == {} and report.updated == {}


def test_a_draft_set_is_updated_in_place(data_copy):
    draft = data_copy(lambda data: data["criteria_set"].update(status="draft"))
    criteria_load(paths=[draft])

    def retitle(data):
        data["criteria_set"]["status"] = "draft"
        data["sheets"][0]["title"] = "Rau, củ, quả, hạt tươi (sửa)"

    report = criteria_load(paths=[data_copy(retitle, name="retitled.json")])
    assert report.updated == {"sheet": 1}
    assert Sheet.objects.get(criteria_set__code="TEST/2026", number=1).title.endswith("(sửa)")


def test_two_files_cannot_define_the_same_set(data_copy):
    first = data_copy(name="a.json")
    second = data_copy(name="b.json")
    with pytest.raises(CriteriaDataError, match="also defined in a.json"):
        criteria_load(paths=[first, second])
