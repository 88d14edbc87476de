"""Hostile inputs for ingest, generated on the spot (raw PDF bytes and plain files), never
downloaded: what an attacker or an unlucky operator could hand `mamandyq ingest`.

Each maker writes into a folder and returns the path; `HOSTILE` lists them with what the
one-line refusal says. `benchmarks/hostile_ingest.py` times them and measures memory.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.helpers import TEXT_SOURCE

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of the given objects (object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def one_page_pdf(content: bytes, compress: bool = True) -> bytes:
    """A one-page A4 PDF drawing `content` (a content stream) with Helvetica as /F1."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            HELVETICA,
            stream(content, compress),
        ]
    )


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# PDFs ---------------------------------------------------------------------------------------


def flate_bomb_pdf(folder: Path) -> Path:
    """230 KB: a compressed content stream that unpacks to 100 MB of text to lay out
    (before the bounds, pdfplumber went past 5.9 GB on a file like it)."""
    line = b"BT /F1 1 Tf 10 10 Td (" + b"a" * 998 + b") Tj ET\n"
    return write(folder / "bomb.pdf", one_page_pdf(line * 100_000))


def many_chars_pdf(folder: Path) -> Path:
    """~1 MB, uncompressed: 150 000 characters spread over one page."""
    rows = b"".join(
        b"BT /F1 4 Tf %d %d Td (%s) Tj ET\n" % (10 + (i % 5) * 110, 10 + (i // 5) % 800, b"x" * 50)
        for i in range(3_000)
    )
    return write(folder / "chars.pdf", one_page_pdf(rows * 6, compress=False))


def ruled_grid_pdf(folder: Path) -> Path:
    """A page ruled into a grid of 300 x 300 cells with a letter in each: pdfplumber's
    table finder works on every crossing of edges and every cell."""
    count = 300
    lines = [b"0.1 w"]
    lines += [b"10 %.3f m 585 %.3f l S" % (10 + i * 2.7, 10 + i * 2.7) for i in range(count + 1)]
    lines += [b"%.3f 10 m %.3f 820 l S" % (10 + i * 1.9, 10 + i * 1.9) for i in range(count + 1)]
    lines += [
        b"BT /F1 1 Tf %.3f %.3f Td (x) Tj ET" % (10.5 + x * 1.9, 10.5 + y * 2.7)
        for x in range(count)
        for y in range(count)
    ]
    return write(folder / "grid.pdf", one_page_pdf(b"\n".join(lines)))


def many_pages_pdf(folder: Path) -> Path:
    """10 000 empty pages (every decree has a few dozen)."""
    count = 10_000
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        stream(b""),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * count
    return write(folder / "pages.pdf", build_pdf(objects))


def page_tree_loop_pdf(folder: Path) -> Path:
    """A page tree whose node lists itself as its own child."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        stream(b"BT /F1 9 Tf 10 10 Td (loop) Tj ET"),
    ]
    return write(folder / "loop.pdf", build_pdf(objects))


def deep_nesting_pdf(folder: Path) -> Path:
    """An array nested 100 000 deep in the page's resources."""
    deep = b"[" * 100_000 + b"]" * 100_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /X " + deep + b" >> >>",
        stream(b"BT /F1 9 Tf 10 10 Td (deep) Tj ET"),
        HELVETICA,
    ]
    return write(folder / "deep.pdf", build_pdf(objects))


def large_pdf(folder: Path) -> Path:
    """A valid PDF of just under 50 MB (the size cap): one page with a line of text,
    and an unused stream of 49 MB of noise."""
    noise = os.urandom(49 * 10**6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        HELVETICA,
        stream(b"BT /F1 9 Tf 10 10 Td (Hello) Tj ET", compress=False),
        stream(noise, compress=False),
    ]
    return write(folder / "large.pdf", build_pdf(objects))


# Text -----------------------------------------------------------------------------------------


def long_line_text(folder: Path) -> Path:
    """The shipped text with one table line of 40 000 characters (before the bounds, the
    text reader's number pattern took 13.7 s on it)."""
    text = TEXT_SOURCE.read_text(encoding="utf-8")
    line = "1 2" * 13_333 + "x"
    return write(
        folder / "long-line.txt",
        text.replace("\nқала ауыл\n", f"\nқала ауыл\n{line}\n", 1).encode(),
    )


def digit_groups_text(folder: Path) -> Path:
    """The shipped text with a row whose numbers are 107 bytes of three-digit groups."""
    text = TEXT_SOURCE.read_text(encoding="utf-8")
    bad = "1 02110400 Баспа ісі " + "1" + " 111" * 26 + " 1"
    return write(
        folder / "groups.txt", text.replace("1 02110400 Баспа ісі 25 414 045 460 672", bad).encode()
    )


def huge_text(folder: Path) -> Path:
    """3 000 000 characters of short lines."""
    return write(folder / "huge.txt", ("сварщик 12\n" * 300_000).encode())


# Not files --------------------------------------------------------------------------------------


def fifo(folder: Path) -> Path:
    """A named pipe nobody writes to (before the bounds, ingest waited for ever)."""
    path = folder / "pipe.pdf"
    os.mkfifo(path)
    return path


def symlink_to_zero(folder: Path) -> Path:
    """A symlink to /dev/zero, endless zeros (before the bounds, it ate all memory)."""
    path = folder / "zero.pdf"
    path.symlink_to("/dev/zero")
    return path


def symlink_to_fifo(folder: Path) -> Path:
    target = fifo(folder)
    path = folder / "link.txt"
    path.symlink_to(target)
    return path


def too_large(folder: Path) -> Path:
    """A sparse file one byte over the 50 MB cap (takes no disk space)."""
    path = folder / "too-large.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(50 * 10**6 + 1)
    return path


# Maker, what the refusal says. The PDFs need the bounded reader; the rest never start it.
HOSTILE_FILES: list[tuple[Callable[[Path], Path], str]] = [
    (fifo, "named pipe (FIFO), not a regular file"),
    (symlink_to_zero, "a character device, not a regular file"),
    (symlink_to_fifo, "named pipe (FIFO), not a regular file"),
    (too_large, "too large for a decree"),
    (long_line_text, "line 55 has 40,000 characters"),
    (huge_text, "characters of text; a decree has at most"),
    (digit_groups_text, "appendix 1, row 1: cannot read the places and costs"),
]
HOSTILE_PDFS: list[tuple[Callable[[Path], Path], str]] = [
    (flate_bomb_pdf, "MB of memory"),
    (many_chars_pdf, "not a decree of this kind"),
    (ruled_grid_pdf, "not a decree of this kind"),
    (many_pages_pdf, "more than 200 pages"),
    (page_tree_loop_pdf, "not a decree of this kind"),
    (deep_nesting_pdf, "not a decree of this kind"),
    (large_pdf, "not a decree of this kind"),
]
