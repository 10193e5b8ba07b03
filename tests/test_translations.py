"""Every text a person sees exists in Dutch and English (docs/i18n.md, "The completeness test").

For each part: every problem code has a title and advice; every string marked in Python or in a
template has a Dutch translation with the same placeholders; no template shows unmarked text; no
flash() message is unmarked; and no web app keeps a hand-made table of (Dutch, English) pairs. The
issuer's library messages (field errors, CSV row errors, refusals) are marked English texts with
Dutch in its catalogue, and no issuer module or template keeps a (Dutch, English) pair.
"""

from __future__ import annotations

import ast
import html.parser
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

from vccore.problemtexts import PROBLEM_TEXTS

from .conftest import ROOT

PARTS = ("vccore", "verifier", "wallet", "issuer")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Text that reads the same in both languages: names, acronyms, formats, symbols.
SAME_IN_BOTH = {"NLQF", "EQF", "BRIN", "QR", "JSON", "DID", "ECTS", "EC", "CSV", "English", "Nederlands",
                "OpenID4VCI", "MCREQ1", "MC1", "MC2", "PNG", "JPEG", "URL", "ID", "OK", "VC", "API", "LTI"}
TEXT_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def _catalogue(part: str, locale: str = "nl"):
    path = ROOT / part / "translations" / locale / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _translated(catalogue) -> dict[str, str | tuple]:
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalogue
            if m.id and m.string and not m.fuzzy and (isinstance(m.string, str) or all(m.string))}


def _extracted(part: str) -> dict[str, list[str]]:
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT / part, method_map, options_map):
        text = message[0] if isinstance(message, tuple) else message  # a plural form's key is its singular
        if text:
            found.setdefault(text, []).append(f"{part}/{filename}:{lineno}")
    return found


def _migrated(part: str) -> bool:
    return (ROOT / part / "translations").is_dir()


def test_the_web_apps_keep_no_table_of_text_pairs():
    """The hand-made (Dutch, English) tables of the apps' i18n modules are gone: every text is in a
    catalogue (the issuer's library messages: test_the_issuer_keeps_no_pairs_of_dutch_and_english)."""
    pairs = re.compile(r'^\s+"\w+": \("[^"]*", "[^"]*"\),?$', re.M)
    modules = [ROOT / "verifier" / "i18n.py", ROOT / "wallet" / "web" / "i18n.py", ROOT / "issuer" / "web" / "i18n.py"]
    assert {str(p.relative_to(ROOT)) for p in modules if p.exists() and pairs.search(p.read_text("utf-8"))} == set()


def test_every_documented_problem_code_has_a_title_and_advice():
    documented = set()
    for line in (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            documented |= set(re.findall(r"`([A-Za-z0-9_]+)`", line.split("|")[1]))
    assert documented - set(PROBLEM_TEXTS) == set(), "codes without a title and advice in vccore/problemtexts.py"
    assert set(PROBLEM_TEXTS) - documented == set(), "texts for codes docs/problem-codes.md does not list"
    dutch = _translated(_catalogue("vccore"))
    missing = {code for code, (title, advice) in PROBLEM_TEXTS.items() if title not in dutch or advice not in dutch}
    assert missing == set(), "problem codes without Dutch"


def test_every_code_a_part_raises_is_documented():
    documented = {c.lower() for c in PROBLEM_TEXTS}
    raised = {}
    for part in PARTS:
        for path in (ROOT / part).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            constants = dict(re.findall(r'^([A-Z][A-Z0-9_]*) = "([A-Z][A-Z0-9_]*)"$', text, re.M))
            named = re.findall(r'^\s+code = ([A-Z][A-Z0-9_]*)$', text, re.M) + re.findall(r'Problem\(([A-Z][A-Z0-9_]*),', text)
            for code in (re.findall(r'^\s+code = "([A-Za-z0-9_]+)"', text, re.M) + re.findall(r'Problem\("([A-Z0-9_]+)"', text)
                         + [constants[name] for name in named if name in constants]):
                raised.setdefault(code, str(path.relative_to(ROOT)))
    raised.pop("VC_ERROR", None)  # the base class, never raised as such
    assert {c: where for c, where in raised.items() if c.lower() not in documented} == {}


@pytest.mark.parametrize("part", PARTS)
def test_every_marked_string_has_dutch(part):
    assert _migrated(part), f"{part} has no translations/ catalogue"
    dutch = {**_translated(_catalogue("vccore")), **_translated(_catalogue(part))}
    extracted = _extracted(part)
    missing = {text: where[0] for text, where in extracted.items() if text not in dutch}
    assert missing == {}, f"{part}: texts without Dutch"
    english = _catalogue(part, "en")
    if english is not None:  # where English differs from the source, the catalogue must be complete too
        assert {t for t in extracted if t not in _translated(english)} == set()
    wrong = {}
    for text in extracted:
        translated = dutch.get(text)
        for one in (translated if isinstance(translated, tuple) else (translated,)):
            if one is not None and set(PLACEHOLDER.findall(one)) != set(PLACEHOLDER.findall(text)):
                wrong[text] = one
    assert wrong == {}, "placeholders differ"


class _Text(html.parser.HTMLParser):
    """Text a person reads in a template's static parts: between tags and in some attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre"):
            self._skip += 1
        self.found += [v for k, v in attrs if k in TEXT_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.found.append(data)


def _bare_words(source: str) -> list[str]:
    """Words in a template's static text (expressions and tags replaced by a placeholder)."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    static = []
    for node in env.parse(source).find_all(nodes.TemplateData):
        static.append(node.data)
    parser = _Text()
    parser.feed("\x00".join(static))
    words = []
    for chunk in parser.found:
        for word in re.findall(r"[^\W\d_][\w'’-]*", chunk.replace("\x00", " ")):
            if word not in SAME_IN_BOTH:
                words.append(word)
    return words


def _templates(part: str) -> list[Path]:
    return [p for p in (ROOT / part).rglob("*.html") if "templates" in p.parts]


@pytest.mark.parametrize("part", PARTS)
def test_templates_show_no_unmarked_text(part):
    bare = {str(p.relative_to(ROOT)): words for p in _templates(part) if (words := _bare_words(p.read_text("utf-8")))}
    assert bare == {}


MARKED_CALLS = ("_", "gettext", "ngettext", "text", "message")  # message: an issuer library message


def _marked(node: ast.AST) -> bool:
    """A translated text: a marked call, or an f-string of marked calls, problem codes and punctuation."""
    if isinstance(node, ast.Call):
        return getattr(node.func, "id", getattr(node.func, "attr", "")) in MARKED_CALLS
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant) and re.search(r"[^\W\d_]{2,}", str(part.value)):
                return False
            if isinstance(part, ast.FormattedValue) and not (_marked(part.value) or (
                    isinstance(part.value, ast.Attribute) and part.value.attr == "code")):
                return False
        return True
    return False


def _flash_arguments(part: str) -> dict[str, str]:
    """flash() calls whose message is not a translated text: file:line -> source."""
    bad = {}
    for path in (ROOT / part).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "flash":
                first = node.args[0] if node.args else None
                if first is None or not _marked(first):
                    bad[f"{path.relative_to(ROOT)}:{node.lineno}"] = ast.unparse(first) if first else ""
    return bad


@pytest.mark.parametrize("part", PARTS)
def test_flash_messages_are_marked(part):
    assert _flash_arguments(part) == {}


def test_the_harness_finds_unmarked_flash_messages():
    def marked(source: str) -> bool:
        return _marked(ast.parse(source, mode="eval").body)
    assert marked("_('Saved')") and marked("f\"{text('error')} ({exc.code})\"")
    assert not marked("'Saved'") and not marked("f\"{text('error')}: {exc.detail}\"")
    assert not marked("f\"Saved {text('x')}\"")


def test_the_harness_finds_unmarked_text():
    assert _bare_words("<p>{{ _('Hello') }}</p>") == []
    assert _bare_words('<p>Hallo {{ name }}</p><img alt="foto">') == ["Hallo", "foto"]
    assert _bare_words("<p>NLQF {{ n }} · EQF</p><code>did:key</code>") == []


# The issuer library's messages: the calls that make one, and the index of their message argument.
MESSAGE_CALLS = {"FieldError": 1, "RowError": 2, "_rule": 0}
PAIR_WORDS = ("message_nl", "message_en", "nl", "en")


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _name(node: ast.AST) -> str:
    return getattr(node, "id", getattr(node, "attr", ""))


def _pairs(tree: ast.AST) -> list[str]:
    """What is left of the old (Dutch, English) pattern: bilingual() calls, nl=/en= texts,
    message_nl/message_en assignments, two texts given to a message call, tables of 2-tuples of texts."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if "bilingual" in name.lower():
                found.append(f"{node.lineno}: {name}()")
            found += [f"{node.lineno}: {k.arg}=" for k in node.keywords if k.arg in PAIR_WORDS and _is_text(k.value)]
            if name in MESSAGE_CALLS and sum(map(_is_text, node.args[MESSAGE_CALLS[name]:])) > 1:
                found.append(f"{node.lineno}: {name}() with two texts")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [f"{node.lineno}: {_name(t)} =" for t in targets if _name(t) in PAIR_WORDS[:2]]
        elif isinstance(node, ast.Dict) and len(node.values) > 1 and all(
                isinstance(v, ast.Tuple) and len(v.elts) == 2 and all(map(_is_text, v.elts)) for v in node.values):
            found.append(f"{node.lineno}: a table of text pairs")
    return found


def _message_arguments(tree: ast.AST) -> list[ast.AST]:
    """Where the issuer library names a message: the message argument of FieldError/RowError/_rule,
    a `message=` keyword, and a class's `message = ...`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            index = MESSAGE_CALLS.get(_name(node.func))
            if index is not None and len(node.args) > index:
                found.append(node.args[index])
            found += [k.value for k in node.keywords if k.arg == "message"]
        elif isinstance(node, ast.ClassDef):
            found += [a.value for a in node.body if isinstance(a, ast.Assign) and "message" in map(_name, a.targets)]
    return found


def _unmarked_messages(tree: ast.AST) -> list[str]:
    """Messages given as plain (or formatted) text instead of N_("..."), which extraction would miss."""
    return [f"{arg.lineno}: {ast.unparse(arg)}" for arg in _message_arguments(tree)
            if _is_text(arg) or isinstance(arg, (ast.BinOp, ast.IfExp))]


def _issuer_modules() -> dict[str, ast.AST]:
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text("utf-8")) for p in sorted((ROOT / "issuer").rglob("*.py"))}


def test_the_issuer_keeps_no_pairs_of_dutch_and_english():
    found = {path: bad for path, tree in _issuer_modules().items() if (bad := _pairs(tree))}
    found |= {str(p.relative_to(ROOT)): ["message_nl/message_en in a template"] for p in _templates("issuer")
              if re.search(r"message_(nl|en)", p.read_text("utf-8"))}
    assert found == {}, "messages are English msgids translated through the catalogue (docs/i18n.md)"


def test_every_issuer_message_is_marked_and_has_dutch():
    from issuer import errors, model
    modules = _issuer_modules()
    assert {path: bad for path, tree in modules.items() if (bad := _unmarked_messages(tree))} == {}
    messages = {arg.args[0].value for tree in modules.values() for arg in _message_arguments(tree)
                if isinstance(arg, ast.Call) and _name(arg.func) == "N_"}
    messages |= {*model._MESSAGES.values(), model._INVALID}
    messages |= {cls.message for cls in vars(errors).values()
                 if isinstance(cls, type) and issubclass(cls, errors.RefusalError)}
    assert len(messages) > 40  # the harness found the messages (model, batch, errors, revocation, service)
    dutch = _translated(_catalogue("issuer"))
    assert sorted(m for m in messages if m not in dutch) == [], "issuer messages without Dutch"
    assert {m: dutch[m] for m in messages if set(PLACEHOLDER.findall(m)) != set(PLACEHOLDER.findall(dutch[m]))} == {}
    # '%' only in named placeholders: a template's newstyle _() always formats, Localizer.gettext only with values
    assert [m for m in messages if "%" in PLACEHOLDER.sub("", m)] == []


def test_issuer_messages_reach_json_and_pages_through_the_catalogue():
    from jinja2 import FileSystemLoader

    from issuer.batch import RowError
    from issuer.errors import TRANSLATIONS, FieldError
    from vccore.l10n import install_jinja, localizer
    error = RowError(3, "result", "is below the pass mark %(pass_mark)s: not passed", {"pass_mark": "<6>"})
    assert error.to_json() == {"row": 3, "field": "result", "message_nl": "ligt onder de cesuur <6>: niet behaald",
                               "message_en": "is below the pass mark <6>: not passed"}
    env = Environment(loader=FileSystemLoader(ROOT / "issuer" / "templates"), autoescape=True)
    chosen = {}
    install_jinja(env, lambda: chosen["l10n"])
    env.globals.update(form_field=lambda f: f, field_label=lambda f: f, describedby=lambda *a: "")
    page = env.from_string('{% from "_macros.html" import field_errors, error_summary %}'
                           "{{ field_errors(errors, 'result') }}{{ error_summary(errors['result']) }}")
    for lang, shown in (("nl", "ligt onder de cesuur &lt;6&gt;: niet behaald"), ("en", "below the pass mark &lt;6&gt;")):
        chosen["l10n"] = localizer(lang, translations=[TRANSLATIONS])
        html_page = page.render(errors={"result": [FieldError(error.field, error.message, error.values)]})
        assert html_page.count(shown) == 2 and "<6>" not in html_page


def test_the_harness_finds_pairs_and_unmarked_messages():
    old = ast.parse('''
raise _bilingual("moet een DID zijn", "must be a DID")
FieldError("result", "moet een cijfer zijn", "must be a grade")
RowError(row, "", f"meer dan {n} rijen", f"more than {n} rows")
StatusChangeRefused("detail", nl="Al geschorst.", en="Suspended already.")
class Archived(BilingualError):
    message_nl = "Gearchiveerd."
_MESSAGES = {"missing": ("is verplicht", "is required"), "list_type": ("moet een lijst zijn", "must be a list")}
''')
    assert sorted(int(line.split(":")[0]) for line in _pairs(old)) == [2, 3, 4, 5, 5, 7, 8]
    assert len(_unmarked_messages(old)) == 2
    new = ast.parse('''
raise _rule(N_("must be a DID"))
FieldError("result", N_("must be between %(minimum)s and %(maximum)s"), {"minimum": 1, "maximum": 10})
RowError(row, error.field, error.message, error.values)
class Archived(RefusalError):
    message = N_("Archived.")
SCALE_FIELDS = {"grade": ("minimum", "maximum", "pass_mark"), "passfail": ("pass_value",)}
''')
    assert _pairs(new) == [] and _unmarked_messages(new) == []
    assert len(_message_arguments(new)) == 4
