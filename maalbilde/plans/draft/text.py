"""The text of a strategy document as it came: a PDF's text layer (pypdf), a Word file's
paragraphs (python-docx), or plain text in UTF-8 or Windows-1252. A file that holds no text
to read — a scan without a text layer, an encrypted PDF, an empty document — is refused with
a message that says what to do, never read as an empty draft. PDF and Word files are read in
a child process with a time limit: a hostile file stops the child, not the site."""

from __future__ import annotations

import io
import itertools
import json
import re
import resource
import subprocess
import sys
import zipfile
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

# A strategy is tens of pages; a document beyond these is not one.
MOST_PAGES = 400
MOST_CHARACTERS = 2_000_000
# A Word file's parts unpacked may be this many times its size (a zip bomb is far more).
MOST_UNPACKING = 100
# The reading child's memory: far more than a strategy's text, far less than the machine's.
CHILD_MEMORY_BYTES = 1 << 30


class DocumentRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def document_text(raw: bytes, file_name: str) -> str:
    """The document's text, lines as the document breaks them, or DocumentRefused."""
    if len(raw) > settings.STRATEGY_DOCUMENT_MAX_BYTES:
        limit = settings.STRATEGY_DOCUMENT_MAX_BYTES
        raise DocumentRefused(_("The document is %(size)s bytes; it may be at most %(limit)s.")
                              % {"size": len(raw), "limit": limit})  # fmt: skip
    if raw.startswith(b"%PDF"):
        text = _in_child("pdf", raw)
    elif raw.startswith(b"PK\x03\x04"):
        text = _in_child("docx", raw)
    elif file_name.lower().endswith((".pdf", ".docx", ".doc")):
        raise DocumentRefused(_("The file is not the PDF or Word document its name says. Save it "
                                "again as PDF, as Word (.docx) or as text."))  # fmt: skip
    else:
        text = _plain_text(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(text) > MOST_CHARACTERS:
        raise DocumentRefused(_("The document has more than %(limit)s characters; a strategy "
                                "is far shorter.") % {"limit": MOST_CHARACTERS})  # fmt: skip
    if len("".join(text.split())) < 20:
        raise DocumentRefused(_("The document has no text to read. A scanned PDF has only "
                                "pictures of its pages: save the original document as PDF "
                                "or Word, or paste its text."))  # fmt: skip
    return text


def _plain_text(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise DocumentRefused(_("The file is neither text, PDF nor Word (.docx)."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentRefused(_("The text cannot be read; save it as UTF-8."))  # pragma: no cover


def _in_child(kind: str, raw: bytes) -> str:
    """The document read by `python -m maalbilde.plans.draft.text KIND` in a child process,
    stopped after the time limit and kept to a memory limit; what it could not read said
    here (the child has no settings: it names the trouble, and this process words it)."""
    seconds = settings.STRATEGY_DOCUMENT_SECONDS
    try:
        child = subprocess.run([sys.executable, "-m", __name__, kind], input=raw,
                               capture_output=True, timeout=seconds, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise DocumentRefused(_("The document could not be read within %(seconds)s seconds.")
                              % {"seconds": seconds}) from None  # fmt: skip
    try:
        answer = json.loads(child.stdout)
    except ValueError:  # the child died: out of memory, or a crash in a reader
        answer = {"text": "", "trouble": "damaged" if kind == "pdf" else "not-docx"}
    if answer["trouble"]:
        raise DocumentRefused(_troubles()[answer["trouble"]])
    return str(answer["text"])


def _troubles() -> dict[str, str]:
    return {
        "locked": _("The PDF is locked with a password. Save it again without one."),
        "pages": _("The PDF has more than %(limit)s pages.") % {"limit": MOST_PAGES},
        "damaged": _("The PDF is damaged and cannot be read. Save it again as PDF."),
        "not-docx": _("The file cannot be read as a Word document (.docx). Save it again as "
                      ".docx, as PDF or as text."),
        "unpacks": _("The Word file unpacks to far more than a document holds."),
    }  # fmt: skip


def _pdf_text(raw: bytes) -> tuple[str, str]:
    """(the text, "") or ("", what went wrong), in the child. Read as laid out, so that the
    space between paragraphs stays a blank line, as in the document's text."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            return "", "locked"
        if len(reader.pages) > MOST_PAGES:
            return "", "pages"
        return "\n".join(_page_text(page) for page in reader.pages), ""
    except (DependencyError, FileNotDecryptedError):
        return "", "locked"
    except Exception:  # pypdf fails in many ways on a broken file; all say the same to a person
        return "", "damaged"


# A line of a page laid out in columns: words, a wide gap, words ("…som brukes      OVERORDNA").
_BESIDE = re.compile(r"\w{2}[.,:;)]?\s{6,}\S")


def _page_text(page: Any) -> str:
    """A page read as laid out, so that the space between paragraphs stays a blank line; a
    page in columns (many lines with words far apart) cut at its gutters and read one column
    after the other, as laid out it would put their lines side by side."""
    laid_out = page.extract_text(extraction_mode="layout") or ""
    lines = laid_out.splitlines()
    written = [line for line in lines if line.strip()]
    if written and sum(1 for line in written if _BESIDE.search(line.strip())) > len(written) / 4:
        cuts = [0, *_gutters(lines), None]
        if len(cuts) > 2:
            # A paragraph, an item or a heading may go on at the top of the next column.
            return "\n".join("\n".join(line[start:end].rstrip() for line in lines).rstrip()
                             for start, end in itertools.pairwise(cuts))  # fmt: skip
    return laid_out


# A column is at least this many characters wide; a gutter at least this many.
NARROWEST_COLUMN = 15
NARROWEST_GUTTER = 3


def _gutters(lines: list[str]) -> list[int]:
    """Where the columns after the first start: after each run of positions between the
    page's edges that (almost) no line writes in; [] if there is none."""
    width = max(len(line) for line in lines)
    written = [0] * (width + 1)
    for line in lines:
        for position, character in enumerate(line):
            if not character.isspace():
                written[position] += 1
    allowed = max(1, len(lines) // 50)  # a title across the columns
    cuts: list[int] = []
    start = None
    for position in range(NARROWEST_COLUMN, width - NARROWEST_COLUMN + 1):
        if written[position] <= allowed:
            start = position if start is None else start
            continue
        wide = start is not None and position - start >= NARROWEST_GUTTER
        if wide and position - (cuts[-1] if cuts else 0) >= NARROWEST_COLUMN:
            cuts.append(position)
        start = None
    return cuts


# Word's heading styles, in English and Norwegian Word: "Heading 2", "Overskrift 2", "Title".
WORD_HEADING = re.compile(
    r"^(?:(?:Heading|Overskrift)\s*(?P<level>[1-6])|Title|Tittel)$", re.IGNORECASE
)


def _docx_text(raw: bytes) -> tuple[str, str]:
    """A Word file's paragraphs and table cells, a line each, in the document's order."""
    import docx

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        if sum(item.file_size for item in archive.infolist()) > MOST_UNPACKING * len(raw) + (
                10 << 20):  # fmt: skip
            return "", "unpacks"
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # not a Word document: a zip of something else, or damaged
        return "", "not-docx"
    lines = []
    for paragraph in document.paragraphs:
        properties = paragraph._p.pPr
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = WORD_HEADING.match(style)
        if level and paragraph.text.strip():
            # A heading by its style, not its look: marked as in Markdown ("## Publikum").
            lines.append(f"{'#' * int(level['level'] or 1)} {paragraph.text}")
            continue
        listed = (properties is not None and properties.numPr is not None) or style.startswith(
            "List")  # fmt: skip
        # A Word list's bullet is in the paragraph's style, not its text: written out, so the
        # lists read as the text's and the PDF's do.
        lines.append(f"• {paragraph.text}" if listed and paragraph.text.strip() else paragraph.text)
    for table in document.tables:  # a row a line, its cells apart ("Besøkende | 36 200 | 45 000")
        for row in table.rows:
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            lines += ["", " | ".join(dict.fromkeys(cell for cell in cells if cell)), ""]
    return "\n".join(lines), ""


if __name__ == "__main__":  # the child: the document on stdin, {"text", "trouble"} on stdout
    # Its memory kept, so that a hostile file cannot take the machine's.
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    readers = {"pdf": _pdf_text, "docx": _docx_text}
    text, trouble = readers[sys.argv[1]](sys.stdin.buffer.read())
    json.dump({"text": text, "trouble": trouble}, sys.stdout)
