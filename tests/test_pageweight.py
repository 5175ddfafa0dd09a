"""The page budgets of booktools.pageweight (the browser tests hold every page to them)."""

from __future__ import annotations

import yaml

from booktools import ROOT, pageweight


def test_the_numbered_chapters_are_the_numbered_parts_of_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = pageweight.numbered_chapters()
    listed = [c["file"] + ".html" for part in toc["parts"] for c in part["chapters"]]
    assert numbered and numbered < set(listed)
    assert "chapters/03-mean-squared-error.html" in numbered
    assert not {"chapters/00-how-to-use.html", "chapters/glossary.html"} & numbered


def test_a_numbered_chapter_may_weigh_350_kib_any_other_page_250_in_any_edition():
    for chapter in pageweight.numbered_chapters():
        assert pageweight.budget(chapter) == 350 * 1024
        assert pageweight.budget("xx/" + chapter) == 350 * 1024  # another edition's copy
    for page in ("index.html", "intro.html", "search.html", "chapters/glossary.html",
                 "xx/intro.html", "xx/chapters/glossary.html", "chapters/math-primer.html"):
        assert pageweight.budget(page) == 250 * 1024, page
