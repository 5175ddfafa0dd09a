"""Tools of the translated editions (the Korean one): build configuration, notebooks, progress.

    python -m booktools.translations config CODE  print the build's _config.yml of edition CODE
    python -m booktools.translations notebooks    write each translated edition's notebooks
                                                  (e.g. ko/chapters/*.ipynb) from the English ones
    python -m booktools.translations status       translated, fuzzy and empty messages per page
    python -m booktools.translations prune DIR    remove the catalogues of pages with no template in DIR
    python -m booktools.translations code DIR     write the code cells' templates to DIR and merge
                                                  them into each edition's catalogues/code (msgmerge)

The editions, their folders and codes come from the table (``booktools/editions.py``).
``make translations`` runs the last two after updating the catalogues; ``make book`` uses the
first. ``tests/test_translations.py`` uses the functions below to check the catalogues and the
translated notebooks. See ``locale/README.md``.
"""

from __future__ import annotations

import copy
import datetime
import doctest
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from booktools import ROOT, codecells, editions, notebooks
from booktools.editions import Edition

# The code cells' messages (booktools/codecells.py): one catalogue per notebook in the folder
# CODE of an edition's catalogues (e.g. .../LC_MESSAGES/code/chapters/04-cross-entropy.po).
# Sphinx never reads them.
CODE = "code"
# The set-up cell of every notebook selects the language of the package's messages.
_SET_LANGUAGE = re.compile(rf"""(\blb\.set_language\()(["']){re.escape(editions.source().code)}\2(\))""")


# --- the Korean build's configuration -------------------------------------------------------

def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def edition_config(edition: Edition) -> dict:
    """_config.yml with an edition's settings on top: those of the table (language, search
    language, notebook folder, PDF name) and its own (locale/<code>/config.yml: title, search
    text)."""
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    over = yaml.safe_load(edition.overrides.read_text(encoding="utf-8")) if edition.overrides.exists() else {}
    table = {
        "repository": {"path_to_book": edition.notebooks},
        "latex": {"latex_documents": {"targetname": edition.pdf.removesuffix(".pdf") + ".tex"}},
        "sphinx": {"config": {"language": edition.code, "html_search_language": edition.search}},
    }
    config = _merge(_merge(base, table), over)
    # jupyter-book finds local extensions relative to the configuration file, which for the
    # Korean build lives in the build folder.
    local = config.get("sphinx", {}).get("local_extensions") or {}
    for name, path in local.items():
        local[name] = str((ROOT / path).resolve()) + "/"
    return config


# --- catalogues -----------------------------------------------------------------------------

def catalogue_paths(edition: Edition) -> list[Path]:
    """The catalogues of the pages (not those of the code cells)."""
    code = edition.catalogue_dir / CODE
    return sorted(p for p in edition.catalogue_dir.rglob("*.po") if code not in p.parents)


def code_catalogue_paths(edition: Edition) -> list[Path]:
    return sorted((edition.catalogue_dir / CODE).rglob("*.po"))


def code_catalogue_path(edition: Edition, english: Path) -> Path:
    return edition.catalogue_dir / CODE / english.relative_to(ROOT).with_suffix(".po")


def edition_of(po: Path) -> Edition:
    """The edition whose catalogues hold ``po``."""
    for edition in editions.translated():
        if edition.catalogue_dir in po.resolve().parents:
            return edition
    raise ValueError(f"{po} is in no edition's catalogues ({editions.TABLE.name})")


def page_of(po: Path) -> str:
    """The page a catalogue belongs to, e.g. ``chapters/04-cross-entropy``."""
    return po.resolve().relative_to(edition_of(po).catalogue_dir).with_suffix("").as_posix()


def drop_format_flags(po: Path) -> None:
    """Remove the ``python-format`` flags that gettext tools guess from a "%" in the English.

    "70 % dog" or "45% of" looks like a printf directive to them, and `msgfmt -c` then refuses a
    natural Korean translation. The book's text is never %-formatted, so the flag is wrong.
    """
    text = po.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "python-format"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags) + "\n"
        lines.append(line)
    cleaned = "".join(lines)
    if cleaned != text:
        po.write_text(cleaned, encoding="utf-8")


def read_catalogue(po: Path):
    with po.open("rb") as handle:
        # the locale is the folder that holds LC_MESSAGES (locale/<code>/LC_MESSAGES/...)
        return read_po(handle, locale=next(p.parent.name for p in po.parents if p.name == "LC_MESSAGES"))


def messages(po: Path):
    """Every message of a catalogue but the header: (msgid, msgstr, fuzzy)."""
    for message in read_catalogue(po):
        if message.id:
            yield message.id, message.string or "", message.fuzzy


def translations(po: Path) -> dict[str, str]:
    """The finished translations of a catalogue (not empty, not fuzzy), as Sphinx uses them."""
    return {mid: text for mid, text, fuzzy in messages(po) if text and not fuzzy}


def status(edition: Edition) -> list[tuple[str, int, int, int]]:
    """(page, translated, fuzzy, empty) for every catalogue, the code cells' ones last."""
    rows = []
    for po in catalogue_paths(edition) + code_catalogue_paths(edition):
        done = fuzzy = empty = 0
        for _, text, is_fuzzy in messages(po):
            if is_fuzzy:
                fuzzy += 1
            elif text:
                done += 1
            else:
                empty += 1
        rows.append((page_of(po), done, fuzzy, empty))
    return rows


# --- Korean notebooks -----------------------------------------------------------------------

# What may stand before a paragraph's text on its first line: heading marks, list markers,
# block quotes, or a directive's opening fence (whose argument is its title).
_LEAD = r"^([ \t]*(?:(?:#{1,6}|[-*+]|\d+[.)]|>)[ \t]+)*(?:(?:`{3,}|:{3,})\{[\w-]+\}[ \t]+)?)"


def _pattern_multiline(msgid: str) -> re.Pattern:
    # A paragraph's message is its source with line breaks turned into spaces; continuation
    # lines may be indented (inside a list item).
    words = msgid.split()
    return re.compile(_LEAD + r"\s+".join(map(re.escape, words)) + r"[ \t]*$", re.M)


def translate_markdown(text: str, table: dict[str, str]) -> str:
    """Replace every paragraph, heading, list item, title and table cell that has a translation."""
    # Longest first, so a short message (a heading) never replaces part of a longer one.
    for msgid in sorted(table, key=len, reverse=True):
        msgstr = table[msgid]
        pattern = _pattern_multiline(msgid)
        text = pattern.sub(lambda m, s=msgstr: m.group(1) + s, text)
    return _translate_tables(text, table)


def _translate_tables(text: str, table: dict[str, str]) -> str:
    out = []
    for line in text.split("\n"):
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            cells = line.strip()[1:-1].split("|")
            cells = [c.replace(c.strip(), table[c.strip()]) if c.strip() in table else c
                     for c in cells]
            line = line[: len(line) - len(line.lstrip())] + "|" + "|".join(cells) + "|"
        out.append(line)
    return "\n".join(out)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _as_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def code_cells(nb: dict) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


# --- the Markdown pages' examples -------------------------------------------------------------

# A ```pycon block of a Markdown page (pytest doctests every one: tests/test_page_examples.py).
_SESSION = re.compile(r"^```pycon\n(.*?)^```", re.M | re.S)


def sessions(text: str) -> list[str]:
    """The ``>>>`` sessions of a Markdown page, in order."""
    return _SESSION.findall(text)


def session_sources(session: str) -> list[str]:
    """The code of a session's examples, one string per ``>>>`` prompt (with its ``...`` lines)."""
    return [example.source for example in doctest.DocTestParser().get_examples(session)]


def pages_with_examples() -> list[Path]:
    """The Markdown pages whose examples print something a reader reads (a code catalogue each)."""
    pages = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))]
    return [page for page in pages
            if any(codecells.messages(source) for session in sessions(page.read_text(encoding="utf-8"))
                   for source in session_sources(session))]


def code_sources() -> list[Path]:
    """Everything with a code catalogue: the notebooks, and the Markdown pages with examples."""
    return english_notebooks() + pages_with_examples()


def _code_units(english: Path) -> list[tuple[int, str, list[str]]]:
    """(number, what, sources): a notebook's code cells, or a page's sessions with their examples."""
    if english.suffix == ".md":
        return [(number, "example", session_sources(session)) for number, session
                in enumerate(sessions(english.read_text(encoding="utf-8")), start=1)]
    nb = json.loads(english.read_text(encoding="utf-8"))
    return [(number, "code cell", [_source(cell)]) for number, cell in enumerate(code_cells(nb), start=1)]


def code_template(english: Path) -> Catalog:
    """The messages of a notebook's code cells (or a page's examples), located by their number."""
    # a fixed date, so that `make translations` changes a catalogue only when its messages change
    catalog = Catalog(project="lossbook", locale=None, fuzzy=False,
                      creation_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    where = english.relative_to(ROOT).as_posix()
    units = _code_units(english)
    shared = codecells.shared_keys([source for _, _, sources in units for source in sources])
    for number, what, sources in units:
        for source in sources:
            for message in codecells.messages(source, shared):
                catalog.add(message.text, locations=[(where, number)],
                            auto_comments=[f"{message.kind}, {what} {number}"])
    for message in catalog:
        # Babel guesses python-format from a "%" ("45% classifier"); msgmerge would then call a
        # natural translation broken and mark it fuzzy. Code-cell strings are never %-formatted.
        message.flags.discard("python-format")
    return catalog


def update_code_catalogues(edition: Edition, templates: Path) -> list[Path]:
    """Write the code cells' templates into ``templates`` and merge them into the catalogues.

    ``msgmerge`` keeps every translation whose English is unchanged, marks a changed one fuzzy
    (with the translation of the closest old English) and adds new ones empty; obsolete messages
    are dropped.
    """
    changed = []
    wanted = set()
    for english in code_sources():
        pot = templates / english.relative_to(ROOT).with_suffix(".pot")
        pot.parent.mkdir(parents=True, exist_ok=True)
        with pot.open("wb") as handle:
            write_po(handle, code_template(english), width=0, omit_header=False)
        po = code_catalogue_path(edition, english)
        wanted.add(po)
        before = po.read_bytes() if po.exists() else b""
        if not po.exists():
            po.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(pot, po)
            text = po.read_text(encoding="utf-8").replace(
                '"Content-Type: text/plain; charset=utf-8\\n"',
                f'"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {edition.code}\\n"')
            po.write_text(text, encoding="utf-8")
        else:
            subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", "--no-wrap",
                            f"--lang={edition.code}", str(po), str(pot)], check=True)
            subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "-o", str(po), str(po)],
                           check=True)
        drop_format_flags(po)
        if po.read_bytes() != before:
            changed.append(po)
    for orphan in code_catalogue_paths(edition):
        if orphan not in wanted:
            orphan.unlink()
            changed.append(orphan)
    return changed


# What a notebook's cell metadata says to a reader: a figure's caption and its alt text (myst-nb
# reads them; Sphinx extracts them into the page's catalogue like any paragraph).
_METADATA_TEXT = (("figure", "caption"), ("image", "alt"))


def translated_metadata(metadata: dict, table: dict[str, str]) -> dict:
    """A code cell's metadata with its caption and alt text translated (the page's catalogue)."""
    metadata = copy.deepcopy(metadata)
    mystnb = metadata.get("mystnb", {})
    for key, field in _METADATA_TEXT:
        text = mystnb.get(key, {}).get(field)
        if text in table:
            mystnb[key][field] = table[text]
    return metadata


def metadata_texts(metadata: dict) -> list[str]:
    """The caption and alt text of a code cell's metadata, where it has them."""
    mystnb = metadata.get("mystnb", {})
    return [mystnb[key][field] for key, field in _METADATA_TEXT if field in mystnb.get(key, {})]


def translated_code(edition: Edition, source: str, table: dict[str, str],
                    shared: frozenset[str] = frozenset()) -> str:
    """A code cell with its reader-visible strings and comments in the edition's language
    (``shared``: the notebook's keys that are also labels, :func:`booktools.codecells.shared_keys`)."""
    return _SET_LANGUAGE.sub(rf"\g<1>\g<2>{edition.code}\g<2>\g<3>",
                             codecells.translate(source, table, shared))


def notebook_shared_keys(nb: dict) -> frozenset[str]:
    """The keys a notebook both shows and looks up (translated alike in every cell)."""
    return codecells.shared_keys([_source(cell) for cell in code_cells(nb)])


def translated_notebook(edition: Edition, english: Path, previous: dict | None = None) -> dict:
    """The edition's notebook of an English one: Markdown and code cells translated.

    A code cell keeps the outputs of ``previous`` (the Korean notebook as it is) when its Korean
    source is unchanged; otherwise its outputs are cleared, to be made by executing the Korean
    notebook (``make ko-notebooks``).
    """
    nb = json.loads(english.read_text(encoding="utf-8"))
    po = edition.catalogue_dir / english.relative_to(ROOT).with_suffix(".po")
    if not po.exists():
        raise FileNotFoundError(f"{english.relative_to(ROOT)} has no catalogue at "
                                f"{po.relative_to(ROOT)}: run `make translations`")
    table = translations(po)
    code_po = code_catalogue_path(edition, english)
    code_table = translations(code_po) if code_po.exists() else {}
    old = {cell.get("id"): cell for cell in code_cells(previous)} if previous else {}
    shared = notebook_shared_keys(nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = _as_lines(translate_markdown(_source(cell), table))
        elif cell["cell_type"] == "code":
            source = translated_code(edition, _source(cell), code_table, shared)
            cell["source"] = _as_lines(source)
            cell["metadata"] = translated_metadata(cell.get("metadata", {}), table)
            before = old.get(cell.get("id"))
            if before is not None and _source(before) == source:
                cell["outputs"] = before.get("outputs", [])
                cell["execution_count"] = before.get("execution_count")
            else:
                cell["outputs"], cell["execution_count"] = [], None
    return nb


def current_notebook(edition: Edition, english: Path) -> dict:
    """The edition's notebook as ``write_notebooks`` would write it now."""
    target = edition.notebook(english)
    previous = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
    return translated_notebook(edition, english, previous)


def dumps_notebook(nb: dict) -> str:
    """The notebook as nbformat writes it (so the file diffs like the English one)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def english_notebooks() -> list[Path]:
    return notebooks()


def write_notebooks(edition: Edition) -> list[Path]:
    """Write every notebook of the edition that is missing or out of date; remove orphans."""
    written = []
    wanted = set()
    for english in english_notebooks():
        target = edition.notebook(english)
        wanted.add(target)
        text = dumps_notebook(current_notebook(edition, english))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    for orphan in edition.notebook_dir.rglob("*.ipynb"):
        if orphan not in wanted:
            orphan.unlink()
            written.append(orphan)
    return written


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "config" and len(argv) == 2:
        edition = editions.get(argv[1])
        sys.stdout.write(f"# Generated by booktools/translations.py from _config.yml, "
                         f"{editions.TABLE.relative_to(ROOT)} and "
                         f"{edition.overrides.relative_to(ROOT)}.\n")
        sys.stdout.write(yaml.safe_dump(edition_config(edition), allow_unicode=True, sort_keys=False))
    elif command == "notebooks":
        for edition in editions.translated():
            for path in write_notebooks(edition):
                print(f"wrote {path.relative_to(ROOT)}")
    elif command == "code" and len(argv) == 2:
        for edition in editions.translated():
            for path in update_code_catalogues(edition, Path(argv[1])):
                print(f"updated {path.relative_to(ROOT)}")
    elif command == "prune" and len(argv) == 2:
        templates = Path(argv[1])
        for po in [po for e in editions.translated() for po in catalogue_paths(e)]:
            if not (templates / f"{page_of(po)}.pot").exists():
                po.unlink()
                print(f"removed {po.relative_to(ROOT)} (its page is gone)")
            else:
                drop_format_flags(po)
    elif command == "status":
        for edition in editions.translated():
            print_status(edition)
    else:
        print(__doc__)
        return 2
    return 0


def print_status(edition: Edition) -> None:
    rows = status(edition)
    width = max(len(page) for page, *_ in rows)
    print(f"{'page':<{width}}  translated  fuzzy  empty")
    for page, done, fuzzy, empty in rows:
        print(f"{page:<{width}}  {done:>10}  {fuzzy:>5}  {empty:>5}")
    for label, part in (("pages", [r for r in rows if not r[0].startswith(f"{CODE}/")]),
                        ("code cells", [r for r in rows if r[0].startswith(f"{CODE}/")])):
        done = sum(r[1] for r in part)
        total = sum(r[1] + r[2] + r[3] for r in part)
        print(f"{edition.code} {label}: {done:,}/{total:,} messages translated "
              f"({sum(r[2] for r in part)} fuzzy, {sum(r[3] for r in part)} empty)")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
