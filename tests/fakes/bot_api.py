"""A fake Telegram Bot API server on 127.0.0.1 for tests.

The bot's tests run the real ``telegram.ext.Application`` (python-telegram-bot 22) against this
server instead of api.telegram.org, so that everything between our handlers and the HTTP wire is
exercised for real while the tests stay offline, fast and deterministic.

Besides answering like Telegram, the fake is strict: every request is checked against the
official machine-readable Bot API description (``api.json``, Bot API 10.1) and against the text
limits and HTML rules Telegram enforces, so a request that real Telegram would reject fails here
too (HTTP 400, and an entry in :attr:`FakeBotAPI.violations`).  Faults can be injected per method
(429, 5xx, slow or dropped connections, lost replies) to test the bot's reliability.

How python-telegram-bot 22 encodes a request (``telegram/request/_requestparameter.py``,
``_requestdata.py``, ``_httpxrequest.py``): every call is an HTTP POST to
``{base_url}{token}/{method}``.  Each parameter becomes a form field; a string value is sent as
is, any other value (int, bool, list, dict, a ``TelegramObject`` via ``to_dict()``) is JSON
encoded (``json.dumps``; datetimes become Unix timestamps, timedeltas seconds).  Without files
the body is ``application/x-www-form-urlencoded``; when files are uploaded it is
``multipart/form-data``: the same fields plus one part per file, named after the parameter
(``document``) or, for files inside objects such as ``InputMedia``, after a random attach name
that the JSON refers to as ``attach://<name>``.  Because a string is never JSON encoded, the
server must know a parameter's declared type to decode it ("123" is an Integer for ``chat_id``
but a String for ``text``), so decoding here is driven by ``api.json``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiohttp import web

__all__ = [
    "DEFAULT_TOKEN",
    "DEFAULT_USER_ID",
    "FAULT_KINDS",
    "BotApiSchema",
    "Call",
    "FakeBotAPI",
    "UploadedFile",
    "parse_html",
]

DEFAULT_TOKEN = "123456789:TEST-mamandyq-fake-token"
DEFAULT_USER_ID = 1001
API_JSON_ENV = "MAMANDYQ_BOT_API_JSON"
_REPO_ROOT = Path(__file__).resolve().parents[2]
# A verbatim copy of ../shared/telegram-bot-api/api.json (see SOURCE.md beside it), so the
# tests run in any checkout.
DEFAULT_API_JSON = _REPO_ROOT / "tests" / "data" / "telegram-bot-api" / "api.json"

FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "drop", "lost_reply"})

_SCALARS = frozenset({"Integer", "Float", "String", "Boolean"})
_INT_RE = re.compile(r"-?\d+")
_BOOLS = {"true": True, "false": False, "1": True, "0": False}
_CONST_RE = re.compile(r"""(?:must be|always) [“"]?([a-z0-9_]+)[”"]?\s*$""")
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
# Update types Telegram withholds unless they are explicitly listed in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Methods whose "send"-like name does not produce a message in the chat.
_NOT_REPLIES = frozenset({"sendChatAction"})
# (method or type, field) -> (min, max, Telegram's complaint when too long); lengths are counted
# in characters of the text after entity parsing, with surrounding whitespace stripped.
_TEXT_LIMITS: dict[tuple[str, str], tuple[int, int, str]] = {
    ("sendMessage", "text"): (1, 4096, "message is too long"),
    ("editMessageText", "text"): (1, 4096, "message is too long"),
    ("InputTextMessageContent", "message_text"): (1, 4096, "message is too long"),
    ("answerCallbackQuery", "text"): (0, 200, "MESSAGE_TOO_LONG"),
    ("setMyDescription", "description"): (0, 512, "description is too long"),
    ("setMyShortDescription", "short_description"): (0, 120, "short description is too long"),
}
# What Telegram accepts as an uploaded photo (https://core.telegram.org/bots/api#sendphoto):
# at most 10 MB, width + height at most 10000, a side ratio of at most 20; and a document of
# at most 50 MB.
_PHOTO_MAX_BYTES = 10 * 1024 * 1024
_PHOTO_MAX_SIDES = 10_000
_PHOTO_MAX_RATIO = 20
_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_CAPTION_LIMIT = (0, 1024, "message caption is too long")
# Fields of an InlineKeyboardButton that are not its "action".
_BUTTON_DECORATION = frozenset({"text", "icon_custom_emoji_id", "style"})
# Message fields that carry a sent file, and the api.json type describing each.
_MEDIA_FIELDS = {
    "document": "Document",
    "photo": "PhotoSize",
    "audio": "Audio",
    "video": "Video",
    "animation": "Animation",
    "voice": "Voice",
    "video_note": "VideoNote",
    "sticker": "Sticker",
}
_BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


# --------------------------------------------------------------------------------------------
# Telegram HTML
# --------------------------------------------------------------------------------------------

_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]+)|#[xX]([0-9a-fA-F]+));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "tg-time", "code", "pre", "blockquote",
    }
)  # fmt: skip
_TAG_NAME_RE = re.compile(r"[^\s>]*")
_ATTR_RE = re.compile(r"""([^\s=>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
# The attribute each of these tags cannot do without.
_REQUIRED_ATTRS = {"a": "href", "tg-emoji": "emoji-id", "tg-time": "unix"}


def _decode_entity(match: re.Match[str]) -> str:
    """Return the character an ``&...;`` entity matched by ``_ENTITY_RE`` stands for."""
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def _unescape(text: str) -> str:
    """Decode the entities Telegram understands in an attribute value."""
    return _ENTITY_RE.sub(_decode_entity, text)


@lru_cache(maxsize=16384)
def parse_html(text: str) -> tuple[str, str | None]:
    """Parse ``text`` the way Telegram parses ``parse_mode="HTML"``.

    (Cached: a pure function of the text, and bots send the same cards again and again;
    the load benchmark measures the bot, not this parser.)

    Returns ``(plain_text, None)`` with tags removed and entities decoded, or ``("", error)``
    where ``error`` mimics Telegram's "Can't parse entities" reason (offsets are UTF-8 bytes).
    Rules (https://core.telegram.org/bots/api#html-style): only the tags in ``_HTML_TAGS``;
    every tag closed and properly nested; ``span`` only with ``class="tg-spoiler"``; ``a`` needs
    ``href``, ``tg-emoji`` needs ``emoji-id``; the only entities are ``&lt; &gt; &amp; &quot;``
    and numeric ones.  A "<" that does not start a tag is an error, as in Telegram.  A bare
    "&" is an error too: the documentation demands ``&amp;`` (Telegram's server happens to keep
    an unrecognised "&" literally, but a bot must not rely on that).
    """
    out: list[str] = []
    stack: list[str] = []
    i, n = 0, len(text)

    def at(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode())}"

    while i < n:
        char = text[i]
        if char == "&":
            entity = _ENTITY_RE.match(text, i)
            if entity is None:
                return "", f'Unescaped "&" {at(i)}: write it as &amp;'
            out.append(_decode_entity(entity))
            i = entity.end()
            continue
        if char != "<":
            out.append(char)
            i += 1
            continue
        if text.startswith("</", i):
            if not stack:
                return "", f"Unexpected end tag {at(i)}"
            close = text.find(">", i)
            if close < 0:
                return "", f"Unclosed end tag {at(i)}"
            name = text[i + 2 : close].strip().lower()
            if name and name != stack[-1]:
                return "", (
                    f'Unmatched end tag {at(i)}, expected "</{stack[-1]}>", found "</{name}>"'
                )
            stack.pop()
            i = close + 1
            continue
        name_match = _TAG_NAME_RE.match(text, i + 1)
        assert name_match is not None  # the pattern matches the empty string
        name = name_match.group().lower()
        if name not in _HTML_TAGS:
            return "", f'Unsupported start tag "{name}" {at(i)}'
        attrs: dict[str, str] = {}
        j = name_match.end()
        while True:
            while j < n and text[j].isspace():
                j += 1
            if j >= n:
                return "", f"Unclosed start tag {at(i)}"
            if text[j] == ">":
                break
            attr = _ATTR_RE.match(text, j)
            if attr is None:
                return "", f'Invalid attribute syntax in the tag "{name}" {at(j)}'
            value = next((v for v in attr.groups()[1:] if v is not None), "")
            attrs[attr.group(1).lower()] = _unescape(value)
            j = attr.end()
        if name == "span" and attrs.get("class") != "tg-spoiler":
            return "", f'Tag "span" must have class "tg-spoiler" {at(i)}'
        needed = _REQUIRED_ATTRS.get(name)
        if needed and not attrs.get(needed):
            return "", f'Tag "{name}" must have attribute "{needed}" {at(i)}'
        stack.append(name)
        i = j + 1
    if stack:
        return "", f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
    return "".join(out), None


# --------------------------------------------------------------------------------------------
# The schema: api.json, type checking and Telegram's extra rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request: what the bot uploaded."""

    name: str
    """The form field (the parameter name, or the name used in ``attach://<name>``)."""
    filename: str
    content_type: str
    data: bytes


def _describe(value: Any) -> str:
    """Name the JSON kind of ``value`` (with a short excerpt) for error messages."""
    kind = {bool: "Boolean", int: "Integer", float: "Float", str: "String", list: "Array"}.get(
        type(value), "Object" if isinstance(value, dict) else type(value).__name__
    )
    if isinstance(value, UploadedFile):
        return f"an uploaded file {value.filename!r}"
    if value is None:
        return "null"
    excerpt = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return f"{kind} {excerpt[:60]}"


def _join(prefix: str, name: str) -> str:
    """Join a parameter path and a field name: ``reply_markup`` + ``inline_keyboard``."""
    return f"{prefix}.{name}" if prefix else name


class BotApiSchema:
    """The Bot API description from ``api.json``, with the checks built on it.

    ``api.json`` lists every method and type with its fields; each field has ``types`` (a union
    of type expressions such as ``Integer``, ``Array of MessageEntity`` or an object type) and
    ``required``.  Abstract types (``InlineQueryResult``, ``ReplyMarkup`` unions...) list their
    ``subtypes``; a subtype is told apart by a constant ``type``/``status``/``source`` field,
    which the descriptions state as 'must be article' or 'always "user"'.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "?")
        self.methods: dict[str, dict[str, Any]] = data["methods"]
        self.types: dict[str, dict[str, Any]] = data["types"]
        self._by_lower = {name.lower(): name for name in self.methods}
        self._method_fields = {
            name: {f["name"]: f for f in spec.get("fields", [])}
            for name, spec in self.methods.items()
        }
        self._type_fields = {
            name: {f["name"]: f for f in spec.get("fields", [])}
            for name, spec in self.types.items()
        }
        self.consts: dict[tuple[str, str], str] = {}
        for name, fields in self._type_fields.items():
            for fname in ("type", "status", "source"):
                if fname in fields and (m := _CONST_RE.search(fields[fname]["description"])):
                    self.consts[name, fname] = m.group(1)
        button = self._type_fields["InlineKeyboardButton"]
        self.button_actions = frozenset(button) - _BUTTON_DECORATION

    @classmethod
    def load(cls, path: str | Path | None = None) -> BotApiSchema:
        """Load ``api.json`` from ``path``, ``$MAMANDYQ_BOT_API_JSON`` or the default location."""
        chosen = Path(path or os.environ.get(API_JSON_ENV) or DEFAULT_API_JSON).resolve()
        return _load_schema(chosen)

    # ---- lookups -----------------------------------------------------------------------------

    def canonical_method(self, name: str) -> str | None:
        """The official spelling of a method name (Telegram matches them case-insensitively)."""
        return self._by_lower.get(name.lower())

    def method_fields(self, method: str) -> dict[str, dict[str, Any]]:
        """The parameters of ``method`` by name."""
        return self._method_fields[method]

    def returns(self, method: str) -> list[str]:
        """The type expressions ``method`` may return."""
        return list(self.methods[method].get("returns", []))

    # ---- decoding ----------------------------------------------------------------------------

    @staticmethod
    def decode(raw: Any, types: list[str] | None) -> Any:
        """Decode one parameter value sent as a form string, guided by its declared ``types``.

        Non-strings (from a JSON body or an upload) are returned unchanged.  A string stays a
        string when a string is allowed and nothing more specific fits; a value that cannot be
        decoded is returned raw so that type checking reports it.  Without ``types`` (an unknown
        parameter) JSON is tried.
        """
        if not isinstance(raw, str):
            return raw
        if types is None:
            with contextlib.suppress(ValueError):
                return json.loads(raw)
            return raw
        if "Integer" in types and _INT_RE.fullmatch(raw):
            return int(raw)
        if "Float" in types:
            with contextlib.suppress(ValueError):
                return float(raw)
        if "Boolean" in types and raw.lower() in _BOOLS:
            return _BOOLS[raw.lower()]
        if "String" in types:
            return raw
        with contextlib.suppress(ValueError):
            return json.loads(raw)
        return raw

    # ---- checking ----------------------------------------------------------------------------

    def check_request(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> list[str]:
        """Every reason why Telegram would reject calling ``method`` with ``params``."""
        fields = self.method_fields(method)
        errors = [f'unknown parameter "{name}"' for name in params if name not in fields]
        for name, spec in fields.items():
            if params.get(name) is None:
                if spec["required"]:
                    errors.append(f'required parameter "{name}" is missing')
            else:
                errors += self.check_value(params[name], spec["types"], name)
        errors += self._text_rules(method, params, "")
        errors += self._method_rules(method, params)
        errors += self._file_rules(method, params)
        errors += self._attach_rules(params, files, "")
        return errors

    def check_value(self, value: Any, types: list[str] | str, path: str) -> list[str]:
        """Check ``value`` against a union of type expressions; return the problems found."""
        if isinstance(types, str):
            types = [types]
        if len(types) == 1:
            return self._check_type(value, types[0], path)
        results = [self._check_type(value, t, path) for t in types]
        if any(not r for r in results):
            return []
        close = [r for t, r in zip(types, results, strict=True) if self._kind_fits(value, t)]
        if close:
            return min(close, key=len)
        return [f"{path}: expected {' or '.join(types)}, got {_describe(value)}"]

    def _kind_fits(self, value: Any, type_expr: str) -> bool:
        """Whether ``value`` is at least the right JSON kind for ``type_expr``."""
        if type_expr.startswith("Array of "):
            return isinstance(value, list)
        if type_expr in _SCALARS:
            return not self._check_type(value, type_expr, "")
        if type_expr == "InputFile":
            return isinstance(value, UploadedFile)
        return isinstance(value, dict)

    def _check_type(self, value: Any, type_expr: str, path: str) -> list[str]:
        """Check ``value`` against one type expression."""
        if type_expr.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{path}: expected {type_expr}, got {_describe(value)}"]
            inner = type_expr.removeprefix("Array of ")
            errors: list[str] = []
            for index, item in enumerate(value):
                errors += self._check_type(item, inner, f"{path}[{index}]")
            return errors
        ok = {
            "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "String": lambda v: isinstance(v, str),
            "Boolean": lambda v: isinstance(v, bool),
            "InputFile": lambda v: isinstance(v, UploadedFile),
        }.get(type_expr)
        if ok is not None:
            return [] if ok(value) else [f"{path}: expected {type_expr}, got {_describe(value)}"]
        spec = self.types.get(type_expr)
        if spec is None:
            return [f"{path}: api.json names an unknown type {type_expr!r}"]
        if "subtypes" in spec:
            return self._check_abstract(value, type_expr, spec["subtypes"], path)
        return self._check_object(value, type_expr, path)

    def _check_abstract(
        self, value: Any, type_name: str, subtypes: list[str], path: str
    ) -> list[str]:
        """Check a value of an abstract type, narrowing subtypes by their constant field."""
        candidates = subtypes
        if isinstance(value, dict):
            for fname in ("type", "status", "source"):
                tagged = {s: self.consts.get((s, fname)) for s in subtypes}
                if fname in value and any(tagged.values()):
                    candidates = [s for s, const in tagged.items() if const == value[fname]]
                    if not candidates:
                        allowed = sorted({c for c in tagged.values() if c})
                        return [
                            f"{_join(path, fname)}: {value[fname]!r} is not a valid {type_name} "
                            f"{fname}; expected one of {allowed}"
                        ]
                    break
        return self.check_value(value, candidates, path)

    def _check_object(self, value: Any, type_name: str, path: str) -> list[str]:
        """Check a JSON object field by field, then Telegram's rules for that type."""
        if not isinstance(value, dict):
            return [f"{path}: expected {type_name} object, got {_describe(value)}"]
        fields = self._type_fields[type_name]
        if not fields:  # a placeholder type that "holds no information"
            return []
        unknown = [key for key in value if key not in fields]
        errors = [f"{_join(path, key)}: unknown field of {type_name}" for key in unknown]
        for name, spec in fields.items():
            sub = _join(path, name)
            if value.get(name) is None:
                if spec["required"]:
                    errors.append(f"{sub}: required field of {type_name} is missing")
                continue
            errors += self.check_value(value[name], spec["types"], sub)
            const = self.consts.get((type_name, name))
            if const is not None and value[name] != const:
                errors.append(f'{sub}: must be "{const}" for {type_name}')
        errors += self._text_rules(type_name, value, path)
        errors += self._object_rules(type_name, value, path)
        return errors

    # ---- Telegram's rules beyond types --------------------------------------------------------

    @staticmethod
    def _text_rules(owner: str, container: dict[str, Any], path: str) -> list[str]:
        """Parse-mode validity, HTML well-formedness and length limits of formatted texts.

        ``owner`` is the method or object type holding ``container``.  A text field ``x`` is
        formatted by ``x_parse_mode`` or, for text/caption/message_text, by ``parse_mode``.
        """
        errors: list[str] = []
        for key, value in container.items():
            if key.endswith("parse_mode") and isinstance(value, str):
                if value and value.lower() not in _PARSE_MODES:
                    errors.append(f"unsupported parse_mode {value!r} ({_join(path, key)})")
                continue
            if not isinstance(value, str):
                continue
            mode = container.get(f"{key}_parse_mode")
            if mode is None and key in ("text", "caption", "message_text"):
                mode = container.get("parse_mode")
            mode = mode.lower() if isinstance(mode, str) else ""
            plain = value
            if mode == "html":
                plain, problem = parse_html(value)
                if problem:
                    errors.append(f"can't parse entities: {problem} ({_join(path, key)})")
                    continue
            limits = _TEXT_LIMITS.get((owner, key))
            if limits is None and key == "caption":
                limits = _CAPTION_LIMIT
            if limits is None:
                continue
            low, high, too_long = limits
            size = len(plain.strip())
            if size < low:
                errors.append(f"message text is empty ({_join(path, key)})")
            # Markdown is not parsed here; only its lower bound is checked.
            elif size > high and mode in ("", "html"):
                errors.append(
                    f"{too_long} ({_join(path, key)} has {size} characters after entity "
                    f"parsing; the limit is {high})"
                )
        return errors

    def _object_rules(self, type_name: str, obj: dict[str, Any], path: str) -> list[str]:
        """Rules Telegram enforces on particular object types."""
        errors: list[str] = []
        if type_name == "InlineKeyboardButton":
            if obj.get("text") == "":
                errors.append(f"{_join(path, 'text')}: inline keyboard button text is empty")
            data = obj.get("callback_data")
            if isinstance(data, str) and not 1 <= len(data.encode()) <= 64:
                errors.append(
                    f"BUTTON_DATA_INVALID ({_join(path, 'callback_data')} is "
                    f"{len(data.encode())} bytes in UTF-8; allowed 1-64)"
                )
            if not self.button_actions.intersection(obj):
                errors.append(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    f"inline keyboard ({path})"
                )
        elif type_name.startswith("InlineQueryResult"):
            result_id = obj.get("id")
            if isinstance(result_id, str) and not 1 <= len(result_id.encode()) <= 64:
                errors.append(
                    f"RESULT_ID_INVALID ({_join(path, 'id')} is {len(result_id.encode())} "
                    "bytes; allowed 1-64)"
                )
        elif type_name == "BotCommand":
            command, description = obj.get("command"), obj.get("description")
            if isinstance(command, str) and not re.fullmatch(r"[a-z0-9_]{1,32}", command):
                errors.append(f"BOT_COMMAND_INVALID ({_join(path, 'command')}={command!r})")
            if isinstance(description, str) and not 1 <= len(description) <= 256:
                errors.append(f"BOT_COMMAND_DESCRIPTION_INVALID ({_join(path, 'description')})")
        return errors

    @staticmethod
    def _method_rules(method: str, params: dict[str, Any]) -> list[str]:
        """Rules Telegram enforces on particular methods."""
        results = params.get("results")
        if method != "answerInlineQuery" or not isinstance(results, list):
            return []
        errors: list[str] = []
        if len(results) > 50:
            errors.append(f"RESULTS_TOO_MUCH ({len(results)} results; at most 50)")
        ids = [r.get("id") for r in results if isinstance(r, dict)]
        if len(ids) != len(set(map(str, ids))):
            errors.append("RESULT_ID_DUPLICATE (results must have distinct ids)")
        return errors

    @staticmethod
    def _file_rules(method: str, params: dict[str, Any]) -> list[str]:
        """Telegram's limits on uploaded photos (an image, size, sides) and documents."""
        photo, document = params.get("photo"), params.get("document")
        errors: list[str] = []
        if method == "sendPhoto" and isinstance(photo, UploadedFile):
            data = photo.data
            if len(data) > _PHOTO_MAX_BYTES:
                errors.append(
                    f"PHOTO_INVALID_DIMENSIONS (photo is {len(data)} bytes; at most 10 MB)"
                )
            if data.startswith(_PNG_MAGIC) and len(data) >= 24:
                width, height = int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
                if not width or not height or width + height > _PHOTO_MAX_SIDES:
                    errors.append(f"PHOTO_INVALID_DIMENSIONS ({width}x{height})")
                elif max(width, height) / min(width, height) > _PHOTO_MAX_RATIO:
                    errors.append(f"PHOTO_INVALID_DIMENSIONS (ratio of {width}x{height})")
            elif not data.startswith((b"\xff\xd8\xff", b"GIF8")) and data[8:12] != b"WEBP":
                errors.append("IMAGE_PROCESS_FAILED (photo is not a PNG, JPEG, GIF or WebP image)")
        if method == "sendDocument" and isinstance(document, UploadedFile):
            if not document.data:
                errors.append("file must be non-empty (document)")
            elif len(document.data) > _DOCUMENT_MAX_BYTES:
                errors.append("Request Entity Too Large (document over 50 MB)")
        return errors

    def _attach_rules(self, value: Any, files: dict[str, UploadedFile], path: str) -> list[str]:
        """Every ``attach://<name>`` reference must name an uploaded file part."""
        if isinstance(value, str):
            name = value.removeprefix("attach://")
            if value.startswith("attach://") and name not in files:
                return [f"{path}: {value!r} refers to no uploaded file part"]
            return []
        items: Iterator[tuple[str, Any]]
        if isinstance(value, dict):
            items = ((_join(path, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
        else:
            return []
        return [error for sub, v in items for error in self._attach_rules(v, files, sub)]

    # ---- fabricating results -----------------------------------------------------------------

    def stub(self, type_expr: str, depth: int = 0) -> Any:
        """A minimal valid value of ``type_expr``: required fields only, placeholder values."""
        if type_expr.startswith("Array of ") or depth > 8:
            return []
        placeholder = {"Integer": 0, "Float": 0.0, "String": "", "Boolean": False}
        if type_expr in placeholder:
            return placeholder[type_expr]
        spec = self.types.get(type_expr, {})
        if "subtypes" in spec:
            return self.stub(spec["subtypes"][0], depth)
        return {
            f["name"]: self.consts.get((type_expr, f["name"]))
            or self.stub(f["types"][0], depth + 1)
            for f in spec.get("fields", [])
            if f["required"]
        }


@cache
def _load_schema(path: Path) -> BotApiSchema:
    """Read and index ``api.json`` once per process."""
    if not path.is_file():
        raise FileNotFoundError(
            f"Bot API description not found at {path}; set ${API_JSON_ENV} to its location"
        )
    return BotApiSchema(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


@dataclass
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    """Decoded parameters; uploaded files appear as :class:`UploadedFile`."""
    files: dict[str, UploadedFile]
    """Every uploaded file part by part name (including ``attach://`` targets)."""
    time: float
    """``time.monotonic()`` when the request arrived."""
    result: Any = None
    """What the fake answered with ``ok: true`` (accepted calls only)."""
    error: str | None = None
    """The error description answered (refused calls only)."""
    fault: str | None = None
    """The injected fault kind that hit this call, if any."""

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.params.items() if k not in ("reply_markup",)}
        extra = f" fault={self.fault}" if self.fault else ""
        extra += f" error={self.error!r}" if self.error else ""
        return f"<{self.method} {json.dumps(shown, ensure_ascii=False, default=repr)[:160]}{extra}>"


@dataclass
class _Fault:
    """An injected fault waiting for the next ``remaining`` calls of a method."""

    kind: str
    remaining: int
    opts: dict[str, Any]


@dataclass
class _Sent:
    """A message the bot sent, remembered to echo it in callback queries and detect no-op edits."""

    message: dict[str, Any]
    source: dict[str, Any] = field(default_factory=dict)


class _ApiError(Exception):
    """Raised by method implementations to answer with a Telegram error."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class FakeBotAPI:
    """A fake Telegram Bot API server on 127.0.0.1 (random free port).

    Use as ``async with FakeBotAPI() as api:`` and point PTB at it with
    ``ApplicationBuilder().token(api.token).base_url(api.base_url)
    .base_file_url(api.base_file_url)``.  Queue updates with :meth:`add_update` (built with
    :meth:`message`, :meth:`callback_query`, :meth:`inline_query`), inspect what the bot did
    with :attr:`calls`, :meth:`calls_of`, :meth:`wait_for` and :meth:`replies_to`, check
    :attr:`violations` with :meth:`assert_no_violations`, and break things with :meth:`inject`.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        api_json: str | Path | None = None,
        port: int = 0,
        round_trip: float = 0.0,
    ) -> None:
        self.token = token
        self.round_trip = round_trip
        """Seconds added to every call, half on the way in and half on the way out, as the
        network between a bot and api.telegram.org adds them (benchmarks/load.py)."""
        self.schema = BotApiSchema.load(api_json)
        self.calls: list[Call] = []
        """Accepted calls (answered ``ok: true``), in the order they were answered."""
        self.refused: list[Call] = []
        """Calls answered with an error or not at all (faults, validation, Telegram errors)."""
        self.violations: list[str] = []
        """Contract violations ("method: what"), each also answered with an error."""
        self.updates: list[dict[str, Any]] = []
        """Updates queued and not yet confirmed by a getUpdates offset."""
        self.webhook_url = ""
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        """setMyCommands lists by (JSON of scope, language_code)."""
        self.bot_user = self._make_bot_user()
        self._wanted_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._faults: dict[str, list[_Fault]] = {}
        self._allowed_updates: set[str] | None = None
        self._poll_generation = 0
        self._changed = asyncio.Event()
        self._closed = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._other_ids = itertools.count(1)
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._sent: dict[tuple[int | str, int], _Sent] = {}
        self._files: dict[str, tuple[bytes, str]] = {}

    # ---- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on 127.0.0.1 at the port asked for, or a free one."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", self._wanted_port))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        """Answer pending long polls, release hung requests and stop the server."""
        self._closed.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """What ``ApplicationBuilder().base_url()`` takes: PTB requests ``{this}{token}/{m}``."""
        return f"http://127.0.0.1:{self._require_port()}/bot"

    @property
    def base_file_url(self) -> str:
        """What ``ApplicationBuilder().base_file_url()`` takes, for downloading files."""
        return f"http://127.0.0.1:{self._require_port()}/file/bot"

    def _require_port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotAPI is not started; use `async with FakeBotAPI() as api`")
        return self._port

    # ---- updates -----------------------------------------------------------------------------

    def add_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a copy of ``update`` for getUpdates and return it.

        An ``update_id`` is assigned (increasing) when missing.  The update is checked against
        the ``Update`` type so that a malformed fixture fails loudly here (``ValueError``).
        """
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        else:
            ahead = max(update["update_id"] + 1, next(self._update_ids))
            self._update_ids = itertools.count(ahead)
        kinds = [key for key in update if key != "update_id"]
        errors = self.schema.check_value(update, "Update", "update")
        if len(kinds) != 1:
            errors.append(f"an update needs exactly one payload field, got {kinds}")
        if errors:
            raise ValueError("invalid test update:\n  " + "\n  ".join(errors))
        self.updates.append(update)
        self._notify()
        return update

    def user(self, user_id: int = DEFAULT_USER_ID, language_code: str = "ru") -> dict[str, Any]:
        """A User object for a (human) test user."""
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": language_code,
        }

    def message(
        self,
        text: str | None,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "ru",
        **extra: Any,
    ) -> dict[str, Any]:
        """Build (not queue) a ``message`` update from a user; pass it to :meth:`add_update`.

        The chat defaults to the private chat with the user.  A text starting with "/" gets the
        ``bot_command`` entity Telegram adds (PTB's CommandHandler relies on it).  ``extra``
        fields are merged into the Message (e.g. ``document=api.add_file(...)``).
        """
        user = self.user(user_id, language_code)
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -1_001_000_000_000 - user_id
        chat = self._register_chat(chat_id, chat_type, user)
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                msg["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
                ]
        msg.update(extra)
        return {"message": msg}

    def callback_query(
        self,
        data: str,
        user_id: int = DEFAULT_USER_ID,
        message_id: int | None = None,
        chat_id: int | None = None,
        language_code: str = "ru",
        **extra: Any,
    ) -> dict[str, Any]:
        """Build (not queue) a ``callback_query`` update: the user pressed a button.

        The button's message is the bot message ``message_id`` in ``chat_id`` (default: the
        user's private chat) as the bot last sent or edited it; by default the bot's latest
        message in that chat.  ``extra`` is merged into the CallbackQuery.
        """
        user = self.user(user_id, language_code)
        chat_id = user_id if chat_id is None else chat_id
        if message_id is None:
            mine = [mid for (cid, mid) in self._sent if cid == chat_id]
            message_id = max(mine) if mine else next(self._message_ids)
        sent = self._sent.get((chat_id, message_id))
        if sent is not None:
            msg = copy.deepcopy(sent.message)
            msg.pop("edit_date", None)
        else:
            msg = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user,
                "text": "…",
            }
        query = {
            "id": str(next(self._other_ids)),
            "from": user,
            "message": msg,
            "chat_instance": f"ci{chat_id}",
            "data": data,
            **extra,
        }
        return {"callback_query": query}

    def inline_query(
        self,
        query: str,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        language_code: str = "ru",
        **extra: Any,
    ) -> dict[str, Any]:
        """Build (not queue) an ``inline_query`` update (the user typed ``@bot query``)."""
        payload = {
            "id": str(next(self._other_ids)),
            "from": self.user(user_id, language_code),
            "query": query,
            "offset": offset,
            "chat_type": "sender",
            **extra,
        }
        return {"inline_query": payload}

    def add_file(
        self, data: bytes, filename: str = "file.bin", mime_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        """Store a file the bot may fetch (getFile + download); return its Document object."""
        file_id = self._store_file(data, filename)
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(data),
        }

    # ---- inspection --------------------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        """Accepted calls of ``method`` (official spelling, e.g. ``"sendMessage"``)."""
        method = self._known_method(method)
        return [call for call in self.calls if call.method == method]

    def replies_to(self, chat_id: int | str) -> list[Call]:
        """Accepted send*/edit* calls addressed to ``chat_id`` (to count duplicate replies)."""
        return [
            call
            for call in self.calls
            if call.method.startswith(("send", "edit"))
            and call.method not in _NOT_REPLIES
            and str(call.params.get("chat_id")) == str(chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until ``count`` accepted calls of ``method`` match ``predicate``; return them.

        Raises ``AssertionError`` listing the recent traffic when ``timeout`` seconds pass.
        """
        method = self._known_method(method)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            matches = [c for c in self.calls_of(method) if predicate is None or predicate(c)]
            remaining = deadline - asyncio.get_running_loop().time()
            if len(matches) >= count:
                return matches
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} {method} call(s), "
                    f"got {len(matches)} matching\n{self.describe_traffic()}"
                )
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def next_change(self, timeout: float) -> None:
        """Wait until the next request is recorded (or `timeout` seconds pass)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def describe_traffic(self, last: int = 15) -> str:
        """Recent calls (without getUpdates), refusals and violations, for failure messages."""

        def listing(calls: list[Call]) -> str:
            shown = [repr(c) for c in calls if c.method != "getUpdates"][-last:]
            return "\n".join(f"    {line}" for line in shown) or "    (none)"

        violations = "\n".join(f"    {v}" for v in self.violations[-last:]) or "    (none)"
        return (
            f"  accepted calls:\n{listing(self.calls)}\n"
            f"  refused calls:\n{listing(self.refused)}\n"
            f"  violations:\n{violations}"
        )

    def assert_no_violations(self) -> None:
        """Fail if any request broke the Bot API contract."""
        if self.violations:
            raise AssertionError(
                "Bot API contract violations:\n" + "\n".join(f"  {v}" for v in self.violations)
            )

    # ---- fault injection ---------------------------------------------------------------------

    def inject(self, method: str, kind: str, times: int = 1, **opts: Any) -> None:
        """Make the next ``times`` calls of ``method`` fail in the way ``kind`` describes.

        Kinds: ``"429"`` (Too Many Requests, ``retry_after`` option, default 1), ``"500"``,
        ``"502"`` (an nginx HTML page), ``"timeout"`` (answer normally after ``delay`` seconds,
        or never when ``delay`` is omitted/None), ``"drop"`` (close the connection, unprocessed),
        ``"lost_reply"`` (process and record as accepted, then close without answering).
        Faults queue up per method in injection order; a ``chat_id`` option limits one to
        the calls for that chat (a chat Telegram cannot deliver to).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        method = self._known_method(method)
        self._faults.setdefault(method, []).append(_Fault(kind, times, opts))

    def clear_faults(self, method: str | None = None) -> None:
        """Forget the faults still queued for `method` (all methods when None): an outage
        made of ``inject(..., times=huge)`` ends here."""
        if method is None:
            self._faults.clear()
        else:
            self._faults.pop(self._known_method(method), None)

    def _take_fault(self, method: str, params: dict[str, Any]) -> _Fault | None:
        """Consume one use of the first fault queued for ``method`` that applies to this
        call (a fault with a ``chat_id`` option hits calls for that chat only)."""
        queue = self._faults.get(method)
        if not queue:
            return None
        chat = str(params.get("chat_id"))
        fault = next(
            (f for f in queue if "chat_id" not in f.opts or str(f.opts["chat_id"]) == chat), None
        )
        if fault is None:
            return None
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.remove(fault)
        return fault

    def _known_method(self, method: str) -> str:
        """Reject misspelt method names in test code instead of waiting for them forever."""
        if method not in self.schema.methods:
            raise ValueError(f"{method!r} is not a Bot API {self.schema.version} method")
        return method

    # ---- HTTP --------------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake everything waiting for a change (long polls, wait_for)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _read_params(
        self, request: web.Request, method: str | None
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        """Collect parameters from the query string and a form, multipart or JSON body."""
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            body = await request.read()
            if body.strip():
                loaded = json.loads(body)
                if not isinstance(loaded, dict):
                    raise ValueError("the JSON body is not an object")
                raw.update(loaded)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(
                        key, value.filename, value.content_type, value.file.read()
                    )
                else:
                    raw[key] = value
        fields = self.schema.method_fields(method) if method else {}
        params = {
            key: self.schema.decode(value, fields[key]["types"] if key in fields else None)
            for key, value in raw.items()
        }
        params.update({key: f for key, f in files.items() if key in fields})
        return params, files

    def _refuse(self, call: Call, code: int, description: str, **parameters: Any) -> web.Response:
        """Record ``call`` as refused and answer with a Telegram error object."""
        self._record_refused(call, description)
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    def _record_refused(self, call: Call, error: str) -> None:
        """Add ``call`` to :attr:`refused` with the reason it was not answered normally."""
        call.error = error
        self.refused.append(call)
        self._notify()

    @staticmethod
    def _hang_up(request: web.Request) -> web.Response:
        """Close the connection without an HTTP response (the returned object is never sent)."""
        if request.transport is not None:
            request.transport.abort()
        return web.Response()

    async def _sleep(self, seconds: float | None) -> None:
        """Sleep, but wake up when the server closes (``None``: until it closes)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closed.wait(), seconds)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        """Serve one Bot API request, with the round trip's delay on the way in and out."""
        if self.round_trip:
            await self._sleep(self.round_trip / 2)
        response = await self._serve_api(request)
        if self.round_trip:
            await self._sleep(self.round_trip / 2)
        return response

    async def _serve_api(self, request: web.Request) -> web.StreamResponse:
        """Serve one Bot API request: authenticate, decode, validate, fault, execute."""
        received = time.monotonic()
        name = request.match_info["method"]
        method = self.schema.canonical_method(name)
        try:
            params, files = await self._read_params(request, method)
        except ValueError as exc:
            call = Call(method or name, {}, {}, received)
            self.violations.append(f"{call.method}: unparsable request body: {exc}")
            return self._refuse(call, 400, f"Bad Request: can't parse request body: {exc}")
        call = Call(method or name, params, files, received)
        if request.match_info["token"] != self.token:
            return self._refuse(call, 401, "Unauthorized")
        if method is None:
            self.violations.append(f"{name}: no such Bot API {self.schema.version} method")
            return self._refuse(call, 404, "Not Found")
        errors = self.schema.check_request(method, params, files)
        self.violations.extend(f"{method}: {error}" for error in errors)

        fault = self._take_fault(method, params)
        if fault is not None:
            call.fault = fault.kind
            if fault.kind == "timeout" and fault.opts.get("delay") is None:
                self._record_refused(call, "no answer (injected timeout)")
                await self._sleep(None)
                return self._hang_up(request)
            if fault.kind == "timeout":
                await self._sleep(fault.opts["delay"])
            elif fault.kind == "429":
                retry_after = int(fault.opts.get("retry_after", 1))
                description = f"Too Many Requests: retry after {retry_after}"
                return self._refuse(call, 429, description, retry_after=retry_after)
            elif fault.kind == "500":
                return self._refuse(call, 500, "Internal Server Error")
            elif fault.kind == "502":
                self._record_refused(call, "Bad Gateway (injected)")
                return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
            elif fault.kind == "drop":
                self._record_refused(call, "connection dropped (injected)")
                return self._hang_up(request)

        if errors:
            response = self._refuse(call, 400, f"Bad Request: {errors[0]}")
        else:
            try:
                call.result = await self._execute(call)
            except _ApiError as exc:
                response = self._refuse(call, exc.code, exc.description)
            else:
                self.calls.append(call)
                self._notify()
                response = web.json_response({"ok": True, "result": call.result})
        if fault is not None and fault.kind == "lost_reply":
            return self._hang_up(request)
        return response

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Serve a file download: ``{base_file_url}{token}/{file_path}``."""
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        file_id = request.match_info["path"].split("/")[1:2]
        stored = self._files.get(file_id[0]) if file_id else None
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored[0], content_type="application/octet-stream")

    # ---- method implementations --------------------------------------------------------------

    async def _execute(self, call: Call) -> Any:
        """Compute the result of an accepted, valid call."""
        params, method = call.params, call.method
        if method == "getUpdates":
            return await self._get_updates(params)
        simple: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": lambda p: self.bot_user,
            "setWebhook": self._set_webhook,
            "deleteWebhook": lambda p: self._set_webhook({**p, "url": ""}),
            "getWebhookInfo": self._webhook_info,
            "setMyCommands": self._set_commands,
            "getMyCommands": lambda p: self.commands.get(self._commands_key(p), []),
            "deleteMyCommands": self._delete_commands,
            "getFile": self._get_file,
            "getChat": lambda p: {**self.schema.stub("ChatFullInfo"), **self._chat(p["chat_id"])},
            "getChatMember": lambda p: {
                "status": "member",
                "user": {"id": p["user_id"], "is_bot": False, "first_name": f"User{p['user_id']}"},
            },
            "deleteMessage": self._delete_message,
        }
        if method in simple:
            return simple[method](params)
        returns = self.schema.returns(method)
        if "Message" in returns:
            if "inline_message_id" in params and "Boolean" in returns:
                return True
            return self._message(method, params)
        if returns == ["Array of Message"]:
            media = params.get("media") or [None]
            group = f"mg{next(self._other_ids)}"
            return [{**self._message(method, params), "media_group_id": group} for _ in media]
        if returns == ["MessageId"]:
            return {"message_id": next(self._message_ids)}
        if returns == ["Array of MessageId"]:
            return [{"message_id": next(self._message_ids)} for _ in params["message_ids"]]
        if returns == ["Boolean"]:
            return True
        if returns == ["Integer"]:
            return 2
        if returns == ["String"]:
            return f"https://t.me/+fake{next(self._other_ids)}"
        return self.schema.stub(returns[0]) if returns else True

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long polling as Telegram does it.

        ``offset`` confirms (drops) every update with a smaller id; a negative offset keeps only
        the last ``-offset`` updates.  ``allowed_updates`` is remembered for later calls (an
        empty list restores the default, which excludes chat_member and reactions); updates
        of other types are discarded.  With nothing to return the call waits up to ``timeout``
        seconds, returning as soon as an update arrives.  A newer getUpdates terminates an
        older one with 409 Conflict, as Telegram does when two instances poll.
        """
        if self.webhook_url:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset") or 0
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        if params.get("allowed_updates") is not None:
            self._allowed_updates = set(params["allowed_updates"]) or None
        limit = min(max(params.get("limit") or 100, 1), 100)
        deadline = asyncio.get_running_loop().time() + max(params.get("timeout") or 0, 0)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        while True:
            if generation != self._poll_generation:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            self.updates = [u for u in self.updates if self._allowed(u)]
            remaining = deadline - asyncio.get_running_loop().time()
            if self.updates or remaining <= 0 or self._closed.is_set():
                return copy.deepcopy(self.updates[:limit])
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _allowed(self, update: dict[str, Any]) -> bool:
        """Whether the current allowed_updates setting lets ``update`` through."""
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates is None:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        """setWebhook / deleteWebhook (an empty url removes the webhook)."""
        self.webhook_url = params.get("url", "")
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def _webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """getWebhookInfo."""
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        """The (scope, language) slot a *MyCommands call addresses."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code", "")

    def _set_commands(self, params: dict[str, Any]) -> bool:
        """setMyCommands."""
        self.commands[self._commands_key(params)] = params["commands"]
        return True

    def _delete_commands(self, params: dict[str, Any]) -> bool:
        """deleteMyCommands."""
        self.commands.pop(self._commands_key(params), None)
        return True

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """getFile for files the bot uploaded or tests added with :meth:`add_file`."""
        file_id = params["file_id"]
        if file_id not in self._files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        data, filename = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": f"files/{file_id}/{filename}",
        }

    def _delete_message(self, params: dict[str, Any]) -> bool:
        """deleteMessage: forget the message."""
        self._sent.pop((self._chat(params["chat_id"])["id"], params["message_id"]), None)
        return True

    def _store_file(self, data: bytes, filename: str) -> str:
        """Keep file bytes for getFile/download; return the new file_id."""
        file_id = f"file{next(self._other_ids)}"
        self._files[file_id] = (data, filename)
        return file_id

    def _make_bot_user(self) -> dict[str, Any]:
        """The getMe User: every getMe-only capability False except the ones we support."""
        prefix = self.token.split(":", 1)[0]
        user: dict[str, Any] = {
            "id": int(prefix) if prefix.isdigit() else 123456789,
            "is_bot": True,
            "first_name": "mamandyq",
            "username": "mamandyq_test_bot",
        }
        for spec in self.schema.types["User"]["fields"]:
            if "Returned only in getMe" in spec["description"] and spec["types"] == ["Boolean"]:
                user[spec["name"]] = False
        user.update(can_join_groups=True, supports_inline_queries=True)
        return user

    def _register_chat(self, chat_id: int, chat_type: str, user: dict[str, Any]) -> dict[str, Any]:
        """Remember the Chat object of a chat the tests talk in, so replies echo it."""
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        else:
            chat = {"id": chat_id, "type": chat_type, "title": f"Chat {chat_id}"}
        self._chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int | str | None) -> dict[str, Any]:
        """The Chat object for a chat_id parameter (known chats first, else a plausible one)."""
        if chat_id in self._chats:
            return copy.deepcopy(self._chats[chat_id])
        if isinstance(chat_id, str):  # "@channelusername"
            name = chat_id.lstrip("@")
            return {"id": -1_009_000_000_000, "type": "channel", "title": name, "username": name}
        if chat_id is None or chat_id > 0:
            return {"id": chat_id or 0, "type": "private", "first_name": f"User{chat_id}"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _message(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The Message a send*/edit* call produces; edits of known messages update them.

        Texts are returned as Telegram would show them (HTML parsed to plain text), an inline
        keyboard is echoed as ``reply_markup``, uploaded files become file objects.  Editing a
        message into exactly its current content fails with "message is not modified".
        """
        chat = self._chat(params.get("chat_id"))
        now = int(time.time())
        editing = method.startswith("edit")
        previous = self._sent.get((chat["id"], params.get("message_id", -1))) if editing else None
        if previous is not None:
            msg = copy.deepcopy(previous.message)
            source = dict(previous.source)
        else:
            message_id = params.get("message_id") if editing else next(self._message_ids)
            msg = {"message_id": message_id, "date": now, "chat": chat, "from": self.bot_user}
            source = {}
        for key in ("text", "caption"):
            if isinstance(params.get(key), str):
                mode = params.get("parse_mode") or ""
                plain = parse_html(params[key])[0] if mode.lower() == "html" else params[key]
                msg[key] = plain
                source[key] = (params[key], mode, params.get(f"{key}_entities"))
        markup = params.get("reply_markup")
        msg.pop("reply_markup", None)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        source["reply_markup"] = msg.get("reply_markup")
        if previous is not None and source == previous.source:
            raise _ApiError(400, _NOT_MODIFIED)
        if editing:
            msg["edit_date"] = now
        photo = params.get("photo")
        # A file_id this server never gave out (an URL is taken as it is).
        if isinstance(photo, str) and not photo.startswith("http") and photo not in self._files:
            raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        for key, type_name in _MEDIA_FIELDS.items():
            if key in params and not editing:
                msg[key] = self._media(params[key], type_name)
        self._sent[chat["id"], msg["message_id"]] = _Sent(msg, source)
        return msg

    def _media(self, value: Any, type_name: str) -> Any:
        """A file object (Document, PhotoSize list, ...) for a sent file or file_id/URL."""
        obj = self.schema.stub(type_name)
        if isinstance(value, UploadedFile):
            obj["file_id"] = self._store_file(value.data, value.filename)
            extra = {
                "file_name": value.filename,
                "mime_type": value.content_type,
                "file_size": len(value.data),
            }
            fields = {f["name"] for f in self.schema.types[type_name]["fields"]}
            obj.update({k: v for k, v in extra.items() if k in fields})
        else:
            obj["file_id"] = str(value)
        obj["file_unique_id"] = f"u{obj['file_id']}"[:32]
        return [obj] if type_name == "PhotoSize" else obj
