"""The files that bring readers back to the maintainers parse and say what they must."""

from __future__ import annotations

import yaml

from conftest import ROOT

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"


def _form(name: str) -> dict:
    return yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))


def _required_labels(form: dict) -> list[str]:
    return [item["attributes"]["label"] for item in form["body"]
            if item["type"] != "markdown" and item.get("validations", {}).get("required")]


def test_issue_forms_are_valid_github_forms():
    for path in TEMPLATES.glob("*.yml"):
        form = _form(path.name)
        assert {"name", "description", "body"} <= set(form), path.name
        ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
        assert len(ids) == len(set(ids)), f"{path.name}: ids must be unique"
        for item in form["body"]:
            assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, path.name


def test_the_machine_difference_form_asks_what_a_maintainer_needs_to_reproduce_it():
    labels = _required_labels(_form("notebook_differs.yml"))
    assert labels == ["Notebook and cell", "How you ran it", "Operating system and CPU", "PyTorch version",
                      "What was shown"]
    how = next(i for i in _form("notebook_differs.yml")["body"] if i.get("id") == "how")
    assert {"make lab", "Binder"} <= set(how["attributes"]["options"])


def test_the_explanation_form_asks_where_what_and_why():
    assert _required_labels(_form("explanation.yml")) == ["Notebook and section", "The text", "What is wrong or unclear"]


def test_citation_cff_has_the_fields_cff_1_2_requires():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff)
    assert all("name" in a or "family-names" in a for a in cff["authors"])
