"""What a reader sees from a code cell, and how a translated cell must match its source.

A Korean notebook's code cells are the English ones with their reader-visible text translated:
the strings a cell prints, the figure labels, titles and legends it draws, its docstrings and
its comments. Everything else (names, numbers, calls, keys, option values such as
``reduction="mean"``, format specs) stays character for character the same, which
:func:`differences` proves token by token (Python's ``tokenize``: only STRING and COMMENT tokens
may differ, and an f-string must keep its replacement fields).

The messages live in one catalogue per notebook, ``locale/ko/LC_MESSAGES/code/<notebook>.po``:
a string's msgid is its text between the quotes as written in the source (escapes and
f-string fields included), a comment's is its text after ``# ``. ``booktools.translations``
writes the templates and merges them (``make translations``).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

# Calls whose string arguments a reader sees: the positions (or "*" for all) and keywords.
_VISIBLE_CALLS = {
    "print": ("*", ()),
    "set_xlabel": ((0,), ("xlabel",)),
    "set_ylabel": ((0,), ("ylabel",)),
    "set_title": ((0,), ("label",)),
    "suptitle": ((0,), ("t",)),
    "xlabel": ((0,), ()),
    "ylabel": ((0,), ()),
    "title": ((0,), ()),
    "text": ((2,), ("s",)),
    "annotate": ((0,), ("text",)),
    "legend": ((1,), ("labels", "title")),
    "set_xticks": ((1,), ("labels",)),
    "set_yticks": ((1,), ("labels",)),
    "draw_curves": ((0,), ("ylabel", "mark_label")),
    "draw_network": ((), ("layer_names",)),
    "draw_digits": ((1,), ("labels",)),
    "draw_confusion_matrix": ((), ("class_names",)),
    "format": ((), ()),  # "...".format(...): the string itself is the receiver
    # the chapters' own printing helpers (06: say(text), show(label, fn))
    "say": ((0,), ()),
    "show": ((0,), ()),
}
# Keywords that carry reader-visible text in any call (plot legends and the like).
_VISIBLE_KEYWORDS = {"label", "mark_label", "title", "xlabel", "ylabel"}
_WORD = re.compile(r"[A-Za-z]{2,}")
_FIELD = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Message:
    """One translatable piece of a code cell: a string literal's body or a comment's text."""

    kind: str  # "string" or "comment"
    text: str  # the msgid
    line: int  # 1-based line in the cell


def _has_words(body: str, fstring: bool) -> bool:
    if fstring:
        body = _FIELD.sub("", body)
    return bool(_WORD.search(body))


def _split(token: str) -> tuple[str, str, str]:
    """A STRING token as (prefix, quote, body)."""
    m = re.match(r"([rRbBuUfF]*)('''|\"\"\"|'|\")", token)
    prefix, quote = m.group(1), m.group(2)
    return prefix, quote, token[len(prefix) + len(quote): len(token) - len(quote)]


def _visible_nodes(tree: ast.AST, shared: frozenset[str] = frozenset()) -> set[tuple[int, int]]:
    """(line, column) of every string constant or f-string in a reader-visible place, and of
    every key in ``shared`` that the cell looks up (``models["no pos_weight"]``)."""
    spots: set[tuple[int, int]] = set()
    shown_names: set[int] = set()  # ids of the Name nodes that stand in a reader-visible place

    def mark(node):
        # every string in this expression, except keys it looks up and options it passes
        hidden = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Subscript):
                hidden.update(id(n) for n in ast.walk(sub.slice))
            elif isinstance(sub, ast.Call):
                for kw in sub.keywords:
                    if kw.arg not in _VISIBLE_KEYWORDS:
                        hidden.update(id(n) for n in ast.walk(kw.value))
                callee = sub.func.attr if isinstance(sub.func, ast.Attribute) else \
                    getattr(sub.func, "id", "")
                if callee not in ("join", "format", "fill"):  # text stays text through these
                    for arg in sub.args:
                        hidden.update(id(n) for n in ast.walk(arg))
            elif isinstance(sub, ast.Compare):
                hidden.update(id(n) for n in ast.walk(sub))
        for sub in ast.walk(node):
            if id(sub) in hidden:
                continue
            if isinstance(sub, ast.JoinedStr) or (isinstance(sub, ast.Constant)
                                                  and isinstance(sub.value, str)):
                spots.add((sub.lineno, sub.col_offset))
            elif isinstance(sub, ast.Name):
                shown_names.add(id(sub))

    in_calls = {id(sub) for call in ast.walk(tree) if isinstance(call, ast.Call)
                for arg in [*call.args, *(kw.value for kw in call.keywords)] for sub in ast.walk(arg)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            positions, keywords = _VISIBLE_CALLS.get(name, ((), ()))
            if name == "format" and isinstance(func, ast.Attribute):
                mark(func.value)
            for k, arg in enumerate(node.args):
                if positions == "*" or k in positions:
                    mark(arg)
            for kw in node.keywords:
                if kw.arg in keywords or kw.arg in _VISIBLE_KEYWORDS:
                    mark(kw.value)
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            # the message of an exception the cell's own code raises (a solution's ValueError)
            for arg in node.exc.args:
                mark(arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            doc = node.body[0] if node.body else None
            if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant):
                spots.add((doc.value.lineno, doc.value.col_offset))
        elif isinstance(node, (ast.Tuple, ast.List, ast.Dict)) and id(node) not in in_calls:
            # names given to cases in a table, printed or drawn later ("weight decay", ...)
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            for item in items:
                if (isinstance(item, ast.Constant) and isinstance(item.value, str)
                        and " " in item.value.strip()):
                    spots.add((item.lineno, item.col_offset))
    spots |= _shown_through_names(tree, shown_names)
    spots |= {(key.lineno, key.col_offset) for key in _keys(tree) if key.value in shared}
    return spots


def _keys(tree: ast.AST) -> list[ast.Constant]:
    """The string constants a cell looks up with: ``d["key"]``."""
    return [node for sub in ast.walk(tree) if isinstance(sub, ast.Subscript)
            for node in ast.walk(sub.slice)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def shared_keys(sources: list[str]) -> frozenset[str]:
    """Texts that one cell shows and another (or the same) looks up as a key.

    A dict built in one cell with a label as its key (``{"no pos_weight": ...}``, a name a
    reader sees) and read in a later cell (``models["no pos_weight"]``) must be translated
    alike in both, or the Korean notebook fails with a KeyError: pass these to
    :func:`messages` and :func:`translate` for every cell of the notebook.
    """
    keys, shown = set(), set()
    for source in sources:
        try:
            keys.update(node.value for node in _keys(ast.parse(source)))
        except SyntaxError:
            continue
        shown.update(m.text for m in messages(source) if m.kind == "string")
    return frozenset(keys & shown)


def _literal_strings(node: ast.AST) -> list[ast.Constant]:
    """The string constants a literal value is made of: "a", "a" if c else "b", ("a", "b"),
    and the keys of {"a": ...} (a dict's values are data, drawn under its keys)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.IfExp):
        return _literal_strings(node.body) + _literal_strings(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [c for elt in node.elts for c in _literal_strings(elt)]
    if isinstance(node, ast.Dict):
        return [c for key in node.keys if key is not None for c in _literal_strings(key)]
    return []


def _shown_through_names(tree: ast.AST, shown_names: set[int]) -> set[tuple[int, int]]:
    """Strings a reader sees through a name: bound to it, then printed or drawn.

    ``result = "warns" if caught else "runs silently"`` then ``print(f"... {result}")``;
    ``for name, idx in (("training", train), ...)`` then ``print(f"{name} ...")``;
    ``curves = {"training": ...}`` then ``draw_curves(curves)``. A name counts only when every
    use of it in the cell is such a place or a comparison with string literals (``when ==
    "after"``, translated alike so the code still means the same); a name that is also passed
    to a call, looked up or indexed by is an option or a key, and its strings stay as written.
    """
    literals: dict[str, list[ast.AST]] = {}  # a name: the literal values bound to it

    def bind(target, value):
        if isinstance(target, ast.Name):
            literals.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts):
            for t, v in zip(target.elts, value.elts, strict=True):
                bind(t, v)

    def iterated(node):
        """The literal elements a for loop or a comprehension steps through, if it is literal."""
        if isinstance(node, ast.Name):
            values = literals.get(node.id, [])
            node = values[0] if len(values) == 1 else None
        return node.elts if isinstance(node, (ast.List, ast.Tuple)) else []

    assigns = [n for n in ast.walk(tree) if isinstance(n, ast.Assign)]
    for node in assigns:
        for target in node.targets:
            bind(target, node.value)
    loops = [(n.target, n.iter) for n in ast.walk(tree) if isinstance(n, (ast.For, ast.comprehension))]
    passing = set()  # a name used as the thing a loop steps through: its elements are bound
    for target, source in loops:
        if isinstance(source, ast.Name):
            passing.add(id(source))
        for element in iterated(source):
            bind(target, element)

    compared: dict[int, list[ast.Constant]] = {}  # a Name compared with string literals
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = [o for o in operands if isinstance(o, ast.Name)]
            strings = [o for o in operands if isinstance(o, ast.Constant) and isinstance(o.value, str)]
            if len(names) == 1 and len(strings) == len(operands) - 1:
                compared[id(names[0])] = strings
    uses: dict[str, list[ast.Name]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            uses.setdefault(node.id, []).append(node)

    spots = set()
    for name, values in literals.items():
        seen = [u for u in uses.get(name, []) if id(u) not in passing]
        if not seen or not any(id(u) in shown_names for u in seen):
            continue
        if not all(id(u) in shown_names or id(u) in compared for u in seen):
            continue
        strings = [c for v in values for c in _literal_strings(v)]
        if len(strings) < sum(1 for v in values if not isinstance(v, ast.Dict)):
            continue  # bound to something else too (a call's result): not only text
        strings += [c for u in seen for c in compared.get(id(u), [])]
        spots.update((c.lineno, c.col_offset) for c in strings)
    return spots


def _string_tokens(source: str):
    return [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type in (tokenize.STRING, tokenize.COMMENT)]


def messages(source: str, shared: frozenset[str] = frozenset()) -> list[Message]:
    """The reader-visible strings and the comments of a code cell, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    visible = _visible_nodes(tree, shared)
    # A node's position is that of its first token; implicit concatenations ("a" "b") continue
    # with more STRING tokens right after it, which belong to the same node.
    found, inside = [], False
    previous_end = None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            text = tok.string[1:].strip()
            if _WORD.search(text):
                found.append(Message("comment", text, tok.start[0]))
            continue
        if tok.type in (tokenize.NL, tokenize.NEWLINE) and inside:
            continue
        if tok.type == tokenize.STRING:
            starts = (tok.start[0], tok.start[1]) in visible
            inside = starts or (inside and previous_end is not None)
            if inside:
                prefix, _, body = _split(tok.string)
                if "b" not in prefix.lower() and _has_words(body, "f" in prefix.lower()):
                    found.append(Message("string", body, tok.start[0]))
            previous_end = tok.end
        else:
            inside, previous_end = False, None
    return found


def translate(source: str, table: dict[str, str], shared: frozenset[str] = frozenset()) -> str:
    """The cell with every reader-visible string and comment that has a translation replaced."""
    wanted = {(m.kind, m.line, m.text) for m in messages(source, shared)}
    lines = source.splitlines(keepends=True)
    edits = []  # (line, start col, end col, new text), applied right to left
    for tok in _string_tokens(source):
        if tok.start[0] != tok.end[0]:
            if tok.type == tokenize.STRING:
                prefix, quote, body = _split(tok.string)
                if ("string", tok.start[0], body) in wanted and body in table:
                    edits.append((tok.start, tok.end, prefix + quote + table[body] + quote))
            continue
        if tok.type == tokenize.COMMENT:
            text = tok.string[1:].strip()
            if ("comment", tok.start[0], text) in wanted and text in table:
                edits.append((tok.start, tok.end, tok.string.replace(text, table[text], 1)))
        else:
            prefix, quote, body = _split(tok.string)
            if ("string", tok.start[0], body) in wanted and body in table:
                edits.append((tok.start, tok.end, prefix + quote + table[body] + quote))
    text = "".join(lines)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for (r0, c0), (r1, c1), new in sorted(edits, reverse=True):
        a, b = offsets[r0 - 1] + c0, offsets[r1 - 1] + c1
        text = text[:a] + new + text[b:]
    return text


# --- the identity of a translated cell -------------------------------------------------------

def _field_signature(token: str) -> list[str] | None:
    """The replacement fields of an f-string, each as its tokens without the strings in them."""
    try:
        node = ast.parse(token, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.JoinedStr):
        return []
    fields = []
    for value in node.values:
        if isinstance(value, ast.FormattedValue):
            expr = [t.string for t in tokenize.generate_tokens(
                io.StringIO(ast.unparse(value.value)).readline)
                if t.type not in (tokenize.STRING, tokenize.NEWLINE, tokenize.ENDMARKER)]
            spec = ast.unparse(value.format_spec) if value.format_spec else ""
            fields.append(" ".join(expr) + f" !{value.conversion} {spec}")
    return sorted(fields)


def differences(english: str, korean: str) -> list[str]:
    """How the Korean cell differs from the English beyond its strings and comments (empty: none).

    Every token must be the same but STRING and COMMENT tokens; a STRING keeps its prefix (an
    f-string stays an f-string) and an f-string its replacement fields (in any order, as Korean
    word order may need; strings inside a field may be translated).
    """
    def tokens(source):
        try:
            return [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                    if t.type not in (tokenize.COMMENT, tokenize.NL)]
        except (tokenize.TokenError, SyntaxError) as err:
            return err

    a, b = tokens(english), tokens(korean)
    if isinstance(b, Exception):
        return [f"the Korean cell does not tokenize: {b}"]
    if isinstance(a, Exception):
        return [f"the English cell does not tokenize: {a}"]
    found = []
    if len(a) != len(b):
        found.append(f"{len(a)} tokens in the English, {len(b)} in the Korean")
    for x, y in zip(a, b, strict=False):
        if x.type != y.type:
            found.append(f"line {x.start[0]}: {x.string!r} became {y.string!r}")
        elif x.type == tokenize.STRING:
            (px, _, _), (py, _, _) = _split(x.string), _split(y.string)
            if px.lower() != py.lower():
                found.append(f"line {x.start[0]}: string prefix {px!r} became {py!r}")
            elif "f" in px.lower() and _field_signature(x.string) != _field_signature(y.string):
                found.append(f"line {x.start[0]}: the f-string's fields changed: {y.string!r}")
        elif x.string != y.string:
            found.append(f"line {x.start[0]}: {x.string!r} became {y.string!r}")
        if len(found) >= 5:
            break
    try:
        compile(korean, "<korean cell>", "exec")
    except SyntaxError as err:
        found.append(f"the Korean cell is not valid Python: {err}")
    return found
