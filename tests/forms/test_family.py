"""A tờ khai's requester who is a parent: one person printed twice, its two readings made one (forms.family)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from forms.catalog import default_catalog
from forms.extract import FieldValue
from forms.family import (
    PROBLEM,
    RELATION_PROBLEM,
    SURNAME_PROBLEM,
    child_surname_from_parents,
    relationship_from_names,
    requester_as_parent,
)

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


@dataclass
class Paper:
    fields: dict[str, FieldValue] = field(default_factory=dict)
    type: str = "to_khai_khai_sinh"


def read(value: str, confidence: float) -> FieldValue:
    return FieldValue(value, value, confidence, 1, [0, 0, 10, 10], True, [])


def read_as(value: str, confidence: float = 0.8) -> FieldValue:
    return read(value, confidence)


def made_one(relationship: str, key: str, requester: tuple[str, float], parent: tuple[str, float]) -> Paper:
    who = "mother" if relationship.lower().startswith(("mẹ", "má")) else "father"
    paper = Paper({"relationship": read(relationship, 0.9), f"requester_{key}": read(*requester),
                   f"{who}_{key}": read(*parent)})  # fmt: skip
    requester_as_parent(paper, default_catalog())
    return paper


@pytest.mark.parametrize(
    "relationship, key, requester, parent, value",
    [
        ("Cha đẻ", "residence", ("Số 54, ngõ 5, phố Hai Bà Trưng", 0.87), ("Số 5+3, ngõ 5, phố Hai Bà Trưng", 0.68),
         "Số 54, ngõ 5, phố Hai Bà Trưng"),  # the surer reading of the number
        ("Mẹ", "name", ("Dương Kim Hóa", 0.37), ("Dương Kim Hoa", 0.88), "Dương Kim Hoa"),  # the surer marks
        ("BỐ", "name", ("Quách Tiến Khang", 0.43), ("Quách Tiền", 0.46), "Quách Tiến Khang"),  # its last word lost
        ("Mẹ", "residence", ("Số 37, ngõ 10, phố Nguyễn Du", 0.52), ("ngõ 10, phố Nguyễn Du", 0.62),
         "Số 37, ngõ 10, phố Nguyễn Du"),  # the house's number read on a line of its own: its first words lost
        ("Cha", "residence", ("Số 90 đường Lý Thường Kiệt", 0.42), ("Số sợ đường Lý Thường Kiệt", 0.5),
         "Số 90 đường Lý Thường Kiệt"),  # the number read as a number, though less surely
    ],
)  # fmt: skip
def test_the_requester_who_is_a_parent_reads_as_one_person(relationship, key, requester, parent, value):
    paper = made_one(relationship, key, requester, parent)
    got = {k: fv for k, fv in paper.fields.items() if k.endswith(key)}
    assert {fv.value for fv in got.values()} == {value}
    changed = [fv for fv in got.values() if fv.ocr_value is not None]
    assert len(changed) == 1 and PROBLEM in changed[0].problems and changed[0].confidence <= 0.85
    assert changed[0].ocr_value in (requester[0], parent[0])  # the reading kept for the reviewer


@pytest.mark.parametrize(
    "relationship, requester, parent",
    [
        ("Bà", ("Dương Kim Hóa", 0.37), ("Dương Kim Hoa", 0.88)),  # a grandmother is no parent: two people
        ("Bố", ("Nguyễn Thị Lan", 0.9), ("Trần Văn Minh", 0.5)),  # names unalike: the relationship was misread
        ("Bố", ("Trần Văn Minh", 0.9), ("", 0.0)),  # the father's block left empty stays empty
        ("Bố", ("Trần Văn Minh", 0.9), ("Trần", 0.5)),  # a surname alone is too little to call one person
    ],
)
def test_readings_of_two_people_or_of_none_are_left_as_read(relationship, requester, parent):
    paper = made_one(relationship, "name", requester, parent)
    assert [fv.value for k, fv in paper.fields.items() if k != "relationship"] == [requester[0], parent[0]]


@pytest.mark.parametrize(
    "child, father, mother, value",
    [
        ("Tên Phương Huyền", "Tôn Xuân Quân", "Lê Thị Hoa", "Tôn Phương Huyền"),  # a letter off the father's
        ("TÊN PHƯƠNG HUYỀN", "", "Tôn Thị Lan", "TÔN PHƯƠNG HUYỀN"),  # the mother's, in the child's case
        ("Lượng Văn Quân", "Lương Quang Bảo", "Lê Khánh My", "Lương Văn Quân"),  # marks off: Lương or Lường?
    ],
)
def test_a_childs_surname_misread_past_any_surname_is_the_parents_it_is_near(child, father, mother, value):
    paper = Paper({"child_name": read(child, 0.5), "father_name": read(father, 0.8), "mother_name": read(mother, 0.8)})
    child_surname_from_parents(paper)
    got = paper.fields["child_name"]
    assert (got.value, got.ocr_value, SURNAME_PROBLEM in got.problems) == (value, child, True)


@pytest.mark.parametrize(
    "child, father, mother",
    [
        ("Lê Phương Huyền", "Tôn Xuân Quân", "Hà Thị Lan"),  # a surname as read, though neither parent's
        ("Tên Phương Huyền", "Tôn Xuân Quân", "Yên Thị Lan"),  # a letter off both parents': no guess
        ("Xyz Phương Huyền", "Tôn Xuân Quân", "Lê Thị Hoa"),  # near neither
        ("Lường Văn Quân", "Lương Quang Bảo", "Lê Khánh My"),  # a surname as spelt, marks and all
    ],
)
def test_a_childs_surname_is_left_where_the_parents_do_not_tell_it(child, father, mother):
    paper = Paper({"child_name": read(child, 0.5), "father_name": read(father, 0.8), "mother_name": read(mother, 0.8)})
    child_surname_from_parents(paper)
    assert paper.fields["child_name"].value == child


@pytest.mark.parametrize(
    "read, requester, mother, father, value",
    [
        ("A6", "Châu Diệu Trang", "Châu Diệu Trang", "Lê Văn Nam", "Mẹ"),  # the short "Mẹ" past any word
        ("Mợ", "Châu Diệu Trang", "Châu Diệu Trang", "", "Mẹ"),  # a listed word, but the names say mother
        ("Âfe đẻ", "Châu Diệu Trang", "Châu Diệu Trăng", "", "Mẹ đẻ"),  # "đẻ" read; her name a mark off
        ("", "Quách Tiến Khang", "Lê Thị Hoa", "Quách Tiến Khang", "Cha"),  # the row lost
        ("Bo", "Quách Tiến Khang", "Lê Thị Hoa", "Quách Tiến Khang", "Bố"),  # the father's word nearest
    ],
)  # fmt: skip
def test_a_relationship_misread_is_the_parent_whose_name_the_requester_bears(read, requester, mother, father, value):
    fields = {"requester_name": read_as(requester), "mother_name": read_as(mother), "father_name": read_as(father)}
    if read:
        fields["relationship"] = read_as(read, 0.4)
    paper = Paper(fields)
    relationship_from_names(paper, default_catalog())
    got = paper.fields["relationship"]
    assert (got.value, got.problems, got.ocr_value) == (value, [RELATION_PROBLEM], read or None)
    assert got.confidence < 0.9  # for the reviewer


@pytest.mark.parametrize(
    "read, sure, requester, mother, father",
    [
        ("Bà", 0.95, "Châu Diệu Trang", "Châu Diệu Trang", ""),  # a word read surely stands
        ("Ba", 0.4, "Châu Diệu Trang", "Châu Diệu Trang", ""),  # a parent's word: requester_as_parent's to judge
        ("A6", 0.4, "Nguyễn Thị Lan", "Châu Diệu Trang", "Lê Văn Nam"),  # no parent's name: a grandparent, say
        ("A6", 0.4, "Lê Văn Nam", "Lê Văn Nam", "Lê Văn Nam"),  # both parents' names: nothing tells which
    ],
)
def test_a_relationship_is_left_as_read_where_the_names_do_not_tell_it(read, sure, requester, mother, father):
    paper = Paper({"requester_name": read_as(requester), "mother_name": read_as(mother),
                   "father_name": read_as(father), "relationship": read_as(read, sure)})  # fmt: skip
    relationship_from_names(paper, default_catalog())
    assert paper.fields["relationship"].value == read and not paper.fields["relationship"].problems


def test_the_reviewer_reads_what_these_problems_mean():
    from pathlib import Path

    import digitize

    script = (Path(digitize.__file__).parent / "web" / "static" / "review.js").read_text(encoding="utf-8")
    for code in (PROBLEM, SURNAME_PROBLEM, RELATION_PROBLEM):
        assert f'\n  {code}: "' in script, code
