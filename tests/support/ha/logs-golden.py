"""Records how the pinned Home Assistant's log tools read, mask, parse, page and time log records.

Runs inside the pinned HA's Python (logs-golden.ts runs it and writes tests/fixtures/logs-golden.json). It
calls HA's own functions (homeassistant/components/system_log/llm.py, hassio/llm.py, util/dt.py) on inputs
made here, and records what they return, so tests/unit/ha-api-logs.test.ts can hold our TypeScript port to
the same answers without Python. Random inputs come from a fixed seed: a rerun writes the same file.
"""

import asyncio
import base64
import hashlib
import datetime as dt
import json
import os
import random
import tempfile
import zoneinfo

from homeassistant.components.hassio import llm as hassio_llm
from homeassistant.components.system_log import llm
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.llm import ToolInput
from homeassistant.util import dt as dt_util

rng = random.Random(20261130)
ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


def utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def epoch_us(value: dt.datetime) -> str:
    """Microseconds since 1970, as text (JSON numbers lose digits past 2**53)."""
    return str((value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1))


def outcome(call):
    """The value of a call, or the kind of exception it raised (HA's tool turns those into errors)."""
    try:
        return {"value": call()}
    except Exception as err:  # noqa: BLE001
        return {"raises": type(err).__name__}


# ---- credential masking ----------------------------------------------------------------------------------

MASK_CASES = [
    "",
    "password=abc",
    'token: "x"',
    "Authorization: Bearer abc.def-ghi",
    "basic dXNlcjpwYXNz==",
    "Bearer ab=c",
    "x Bearer a.b~c+d/e-f== g",
    "xbearer abc",
    "ébearer abc",
    "_bearer abc",
    "bearer\x85abc",
    "bearer\u00a0abc",
    "bearer\u3000abc",
    "bearer\x1cabc",
    "baſic abc",
    "BEARER abc",
    "apı_key=1",
    "apİ_key=1",
    "API_KEY=1",
    "api-key=1",
    "apikey=1",
    "api key=1",
    "ſecret=1",
    "toKen=1",
    "tokenK=1",
    "passwd=1",
    "my_password: hunter2, next=1",
    "access_token=abc&refresh_token=def",
    "url?access_token=abc&x=1",
    '{"password": "a\\"b", "user": "me"}',
    "{'api_key': 'it\\'s', 'x': 1}",
    'password="unterminated',
    "password='unterminated",
    'password=""',
    "password=''",
    'password="',
    "password='",
    "password=",
    "password= ",
    "password:",
    "password==x",
    'password"=x',
    "password' : x",
    "password \t: x",
    "password\u2028: x",
    "secret.key=1 secret-key=2 x.token.y=3",
    "-token=1 .token=2 token.=3",
    "a token=1",
    "atoken=1",
    "token=a=b",
    "token=a;b",
    "token=a,b",
    "token=a}b",
    "token=a?b",
    "token=a&b",
    "token=a'b",
    'token=a"b',
    "token=a b",
    "token=\u00e9\u00e8",
    "token=\U0001f600x",
    "\U0001f600token=1",
    "token\U0001f600=1",
    "tok\u0301en=1",
    "password=a password=b password=c",
    'password="token=inner" token=outer',
    "password=token=inner",
    "key=1 secret=2",
    "mysecret:val othersecret : 'v2'",
    "token\\=1",
    "token:\\x",
    "Bearer token=abc",
    "bearer  \t abc",
    "bearer",
    "bearer ",
    "bearer =",
    "bearer ===",
    "Basic\u00a0abc==  ==",
    "x=Bearer abc",
    "token: Bearer abc",
    "٢token=1",
    "token٢=1",
    "tokenⅫ=1",
    "token²=1",
    "ǅtoken=1",
    "password=a\x0bb",
    "password=a\x0cb",
    "password=a\x85b",
    "password=\x1c",
    "password=a\u200bb",
    "password=a\ufeffb",
]

TOKENS = [
    "token", "Token", "TOKEN", "password", "passwd", "secret", "api_key", "apikey", "api-key", "APIKEY",
    "bearer", "Bearer", "basic", "BASIC", "key", "user", "abc", "x.y", "a-b", "_", "-", ".", " ", "  ",
    "\t", "=", "==", ":", '"', "'", "\\", "\\\"", ",", ";", "&", "}", "{", "?", "/", "+", "~", "é", "ı",
    "İ", "ſ", "K", "\u00a0", "\x85", "\u2028", "\x1d", "٢", "²", "\U0001f600", "1", "42", "ab=", "a\"b",
]

for _ in range(2500):
    MASK_CASES.append("".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 10))))

mask = [[text, llm._mask_secrets(text)] for text in MASK_CASES]


# ---- one line to a record --------------------------------------------------------------------------------

RECORD_LINES = [
    "2026-11-30 18:34:30.903+01:00 INFO (MainThread) [homeassistant.setup] Setting up system_log",
    "2026-11-30 18:34:30.903-05:30 DEBUG x",
    "2026-11-30 18:34:30.903+00:00 WARNING (Thread) [a.b] warn",
    "2026-11-30 18:34:30.903+00:00 ERROR boom",
    "2026-11-30 18:34:30.903+00:00 CRITICAL boom",
    "2026-11-30 18:34:30.903+00:00 WARN boom",
    "2026-11-30 18:34:30.903+00:00 FATAL boom",
    "2026-11-30 18:34:30.903+00:00 info lower",
    "2026-11-30 18:34:30.903+00:00 INFO",
    "2026-11-30 18:34:30.903+00:00 INFO  two spaces",
    "2026-11-30 18:34:30.903+00:00 INFOX no",
    "2026-11-30 18:34:30.903+00:00  INFO leading space",
    "2026-11-30 18:34:30.903+00:00 ",
    "2026-11-30 18:34:30.903+00:00",
    "2026-11-30 18:34:30.903 INFO no offset",
    "2026-11-30 18:34:30.9034+00:00 INFO four digits",
    "2026-11-30 18:34:30+00:00 INFO no fraction",
    "2026-11-30T18:34:30.903+00:00 INFO T",
    "2026-11-30 18:34:30.903+0000 INFO no colon",
    "2026-11-30 18:34:30.903Z INFO Z",
    "2026-11-30 18:34:30.903+00:00\tINFO tab",
    " 2026-11-30 18:34:30.903+00:00 INFO indented",
    "Traceback (most recent call last):",
    "2026-13-01 00:00:00.000+00:00 INFO bad month",
    "2026-02-29 00:00:00.000+00:00 INFO bad day",
    "2024-02-29 00:00:00.000+00:00 INFO leap day",
    "2026-01-01 24:00:00.000+00:00 INFO hour 24",
    "2026-01-01 24:00:00.001+00:00 INFO hour 24 and a bit",
    "2026-01-01 00:60:00.000+00:00 INFO minute 60",
    "2026-01-01 00:00:60.000+00:00 INFO second 60",
    "2026-01-01 00:00:00.000+24:00 INFO offset 24",
    "2026-01-01 00:00:00.000+23:59 INFO offset 23:59",
    "2026-01-01 00:00:00.000-23:59 INFO offset -23:59",
    "2026-01-01 00:00:00.000+05:60 INFO offset minute 60",
    "0000-01-01 00:00:00.000+00:00 INFO year 0",
    "0001-01-01 00:00:00.000+00:00 INFO year 1",
    "9999-12-31 23:59:59.999-01:00 INFO year 9999",
    "٢٠٢٦-01-01 00:00:00.000+00:00 INFO arabic digits",
    "2026-11-30 18:34:30.903+01:00 INFO password=abc Bearer xyz",
    "2026-11-30 18:34:30.903+01:00 INFO \U0001f600 ünïcödé",
]


def record_of(line: str):
    records = llm._parse_log_records([line])
    if not records:
        return None
    record = records[0]
    return {"time": epoch_us(record.time), "level": record.level, "message": record.message}


records = [{"line": line, **outcome(lambda line=line: record_of(line))} for line in RECORD_LINES]

# Whole runs of lines: continuation lines, records without an offset and what follows them.
RUNS = [
    [
        "before any record",
        "2026-11-30 18:00:00.000+01:00 ERROR (MainThread) [x] failed",
        "Traceback (most recent call last):",
        '  File "a.py", line 1, in <module>',
        "ValueError: token=abc",
        "2026-11-30 18:00:00.500 INFO no offset",
        "continuation of the skipped record",
        "2026-11-30 18:00:01.000+01:00 INFO next",
        "",
        "  ",
    ],
    ["", "", "2026-11-30 18:00:00.000+01:00 INFO a", "", "b"],
]
runs = [
    {
        "lines": lines,
        "records": [
            {"time": epoch_us(r.time), "level": r.level, "message": r.message}
            for r in llm._parse_log_records(lines)
        ],
    }
    for lines in RUNS
]


# ---- shortening ------------------------------------------------------------------------------------------

SHORTEN = ["", "x" * 1000, "x" * 1001, "a" * 300 + "b" * 401 + "c" * 700]
SHORTEN += ["\U0001f600" * 999, "\U0001f600" * 1001, "é" * 1500, "line\n" * 400]
shorten = [[text, llm._shorten(text)] for text in SHORTEN]


# ---- times -----------------------------------------------------------------------------------------------

TIME_TEXTS = [
    "2026-11-30T18:34:30", "2026-11-30T18:34:30.123456", "2026-11-30T18:34:30.1234567891",
    "2026-11-30T18:34:30.123456789012345", "2026-11-30T18:34:30,5", "2026-11-30 18:34:30",
    "2026-11-30t18:34:30", "2026-11-30T18:34", "2026-11-30T18",
    "2026-11-30T1834", "2026-11-30T183430", "2026-11-30T183430.5",
    "20261130T183430", "20261130T18:34:30", "20261130",
    "2026-11-30", "2026-11", "2026-11T10:00",
    "202611", "2026", "2026-334",
    "2026334", "2026-366", "2024-366",
    "2026-000", "2026-W01", "2026-W01-1",
    "2026-W53-1", "2026-W52-7", "2020-W53-7",
    "2026W01", "2026W017", "2026W018",
    "2026-W01-0", "2026-W00-1", "2026-W01T10:00",
    "0000-W01-1", "0001-W01-1", "9999-W52-7",
    "9999-W52-7T23:59", "2026-11-30T18:34:30Z", "2026-11-30T18:34:30z",
    "2026-11-30T18:34:30+01:00", "2026-11-30T18:34:30-0130", "2026-11-30T18:34:30+01",
    "2026-11-30T18:34:30+1", "2026-11-30T18:34:30+01:0", "2026-11-30T18:34:30+01:00:30",
    "2026-11-30T18:34:30+010030", "2026-11-30T18:34:30+23:59", "2026-11-30T18:34:30+24:00",
    "2026-11-30T18:34:30+00:60", "2026-11-30T18:34:30-00:00", "2026-11-30T18:34:30+00:00:00",
    "2026-11-30T18:34:30+23:59:59", "2026-11-30T18:34:30+23:59:60", "2026-11-30T18:34:30 +01:00",
    "2026-11-30T18:34:30Z ", "2026-11-30T18:34:30\n", "2026-11-30T18:34:30Z\n",
    "2026-11-30T18:34:30\n\n", "2026-11-30T18:34:30\x00garbage", "\x002026",
    " 2026-11-30T18:34:30", "2026-11-30T24:00", "2026-11-30T24:00:00.000000",
    "2026-11-30T24:00:01", "2026-11-30T24:30", "2026-12-31T24:00:00",
    "9999-12-31T24:00:00", "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59+01:00",
    "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-01:00", "0001-01-01T00:00:00",
    "0000-01-01T00:00:00", "2026-2-3T4:5", "2026-2-3 4:5:6",
    "2026-2-3T4:5:6.7", "2026-02-03T04:05:06.1234567", "2026-02-03T04:05:06.1234567890123",
    "2026-02-03T04:05:06.", "2026-02-03T04:05:", "2026-02-03T4:05:06+0100",
    "2026-02-03T4:05:06+01", "2026-02-03T4:05:06+1", "2026-02-03T4:05:06Z",
    "2026-02-03T4:05:06-01:00:30", "２０２６-11-30T18:34:30", "٢٠٢٦-١١-٣٠T١٨:٣٤",
    "2026-11-30T18:34:30.１", "2026-13-01", "2026-02-29",
    "2024-02-29", "2026-04-31", "2026-00-10",
    "2026-11-00", "2026-11-30T25:00", "2026-11-30T23:60",
    "2026-11-30T23:59:60", "now", "",
    "yesterday", "2026-11-30T18:34:30.123+01:00",
    # Around changes of the UTC offset in each zone: gaps, overlaps, half-hour steps
    "2026-03-29T01:59:59", "2026-03-29T02:00", "2026-03-29T02:30",
    "2026-03-29T02:59:59.999999", "2026-03-29T03:00", "2026-10-25T01:59:59",
    "2026-10-25T02:00", "2026-10-25T02:30", "2026-10-25T02:59:59.999999",
    "2026-10-25T03:00", "2026-03-08T02:30", "2026-11-01T01:30",
    "2026-04-05T01:30", "2026-04-05T01:45", "2026-04-05T02:00",
    "2026-10-04T02:15", "1900-01-01T00:00", "1800-06-01T12:00",
    "1937-06-30T23:59", "1937-07-01T00:00:28", "2100-07-01T12:00",
    "2300-07-01T12:00",
]

times = {}
for zone in ZONES:
    dt_util.set_default_time_zone(zoneinfo.ZoneInfo(zone))
    times[zone] = [
        [text, (lambda r: {"value": utc_iso(r["value"]) if r["value"] else None} if "value" in r else r)(
            outcome(lambda text=text: llm._parse_time(text))
        )]
        for text in TIME_TEXTS
    ]

# Instants in local time, as get_logs writes them (milliseconds, truncated).
INSTANTS = [
    dt.datetime.fromisoformat(f"{text}+00:00")
    for text in (
        "2026-11-30T17:34:30.903", "2026-11-30T17:34:30.903999", "2026-11-30T17:34:30",
        "2026-03-29T00:59:59.999", "2026-03-29T01:00:00", "2026-10-25T00:30:00", "2026-10-25T01:30:00",
        "2026-04-04T15:15:00", "1800-06-01T12:00:00", "1937-06-30T23:00:00", "0002-01-01T00:00:00",
        "0999-01-01T00:00:00", "9999-12-30T00:00:00",
    )
]
local = {}
for zone in ZONES:
    dt_util.set_default_time_zone(zoneinfo.ZoneInfo(zone))
    local[zone] = [
        [utc_iso(instant), dt_util.as_local(instant).isoformat(timespec="milliseconds")]
        for instant in INSTANTS
    ]

TIMESTAMPS = [
    0.0, 1.5, 1764524070.9031231, 1764524070.0, 1764524070.5, 1764524070.0000005, 1764524070.0000015,
    1764524070.9999995, 1764524070.9999999, 1764524070.123456, 1764524070.1234565, 1764524070.1234575,
    1e9 + 0.25, 1700000000.000001, -1.5, -0.0000005, 253402300798.25,
]
TIMESTAMPS += [rng.uniform(1.6e9, 1.9e9) for _ in range(300)]
TIMESTAMPS += [round(rng.uniform(1.6e9, 1.9e9), rng.randint(0, 7)) for _ in range(300)]
timestamps = [[ts, dt_util.utc_from_timestamp(ts).isoformat()] for ts in TIMESTAMPS]

journal = [
    [utc_iso(instant), hassio_llm._journal_time(instant)]
    for instant in [
        dt.datetime(2026, 11, 30, 17, 34, 30, 903001, dt.UTC),
        dt.datetime(2026, 11, 30, 17, 34, 30, 0, dt.UTC),
        dt.datetime(1969, 12, 31, 23, 59, 59, 500000, dt.UTC),
    ]
]


# ---- reading the log file --------------------------------------------------------------------------------

FILES = [
    b"2026-11-30 18:00:00.000+01:00 INFO a\n2026-11-30 18:00:01.000+01:00 INFO b\n",
    b"2026-11-30 18:00:00.000+01:00 INFO a\r\n  more\r\n2026-11-30 18:00:01.000+01:00 INFO b\r\n",
    b"2026-11-30 18:00:00.000+01:00 INFO a\rcont\r2026-11-30 18:00:01.000+01:00 INFO b",
    b"\xef\xbb\xbf2026-11-30 18:00:00.000+01:00 INFO bom\n2026-11-30 18:00:01.000+01:00 INFO b\n",
    b"2026-11-30 18:00:00.000+01:00 INFO bad \xff\xfe utf-8 \xe2\x82 cut \xed\xa0\x80 surrogate\n",
    b"2026-11-30 18:00:00.000+01:00 INFO \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80\n\n\n",
    b"2026-11-30 18:00:00.000+01:00 INFO vt\x0bff\x0cfs\x1cnel\xc2\x85ls\xe2\x80\xa8end\n",
    b"2026-11-30 18:00:00.000 INFO no offset\n2026-11-30 17:59:00.000+01:00 INFO earlier\n"
    b"2026-11-30 18:00:02.000+01:00 INFO later\n2026-11-30 18:00:01.000+01:00 INFO back\n",
    b"",
    b"\n\n\n",
]
reads = []
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "home-assistant.log")
    for content in FILES:
        with open(path, "wb") as file:
            file.write(content)
        for start in ["2026-11-30T16:00:00+00:00", "2026-11-30T17:00:00.5+00:00", "2026-11-30T17:00:01+00:00"]:
            for lines in [2000, 2, 1]:
                reads.append(
                    {
                        "bytes": base64.b64encode(content).decode(),
                        "start": start,
                        "lines": lines,
                        "result": llm._read_log_file(path, dt.datetime.fromisoformat(start), lines),
                    }
                )

SPLIT = ["", "a", "a\n", "a\nb", "a\r\nb\rc\n", "a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i", "\n\n", "a\r", "\r\n\r"]
splitlines = [[text, text.splitlines()] for text in SPLIT]


# ---- system log entries ---------------------------------------------------------------------------------

ENTRIES = [
    {
        "name": "homeassistant.components.hue",
        "message": ["Bridge unreachable", "Bridge unreachable again"],
        "level": "ERROR",
        "source": ["components/hue/bridge.py", 120],
        "timestamp": 1764524070.9031231,
        "exception": "Traceback (most recent call last):\n  ...\nTimeoutError",
        "count": 3,
        "first_occurred": 1764524000.0,
    },
    {
        "name": "custom_components.zwave_js_plus",
        "message": ["Node 5 dead"],
        "level": "WARNING",
        "source": ["custom_components/zwave_js_plus/node.py", 7],
        "timestamp": 1764524080.5,
        "exception": "",
        "count": 1,
        "first_occurred": 1764524080.5,
    },
    {
        "name": "homeassistant.core",
        "message": ["Something critical"],
        "level": "CRITICAL",
        "source": ["/usr/lib/python3/asyncio/base_events.py", 1800],
        "timestamp": 1764524090.0000015,
        "exception": "ValueError: x",
        "count": 2,
        "first_occurred": 1764524085.1234565,
    },
]
ENTRY_ARGS = [
    {},
    {"include_traceback": True},
    {"include_traceback": "yes", "limit": "2"},
    {"level": "ERROR"},
    {"level": "critical", "include_traceback": 1},
    {"logger": "  ZWAVE "},
    {"logger": "asyncio"},
    {"logger": "hue", "level": "warning"},
    {"logger": "   "},
    {"logger": "\x1c"},
    {"limit": 1},
    {"limit": 51},
    {"level": "info"},
]


class _Records:
    def to_list(self):
        return [dict(entry) for entry in ENTRIES]


class _Handler:
    records = _Records()


class _Hass:
    data = {"system_log": _Handler()}


entries = []
for args in ENTRY_ARGS:
    try:
        result = asyncio.run(llm.SystemLogGetEntriesTool().async_call(_Hass(), ToolInput("get_entries", args), None))
        entries.append({"args": args, "data": result.data})
    except Exception as err:  # noqa: BLE001
        entries.append({"args": args, "invalid": str(err)})


# ---- whole queries ---------------------------------------------------------------------------------------


def generated(spec):
    """Expands a generated source; the unit test expands it the same way.

    Line i is at base + ((i // group) * step) // per milliseconds, its level cycles, and its message can be
    padded; every `traceback`th record has two continuation lines; the last record is `late` milliseconds
    older than its place says.
    """
    base = dt.datetime.fromisoformat(spec["base"])
    lines = []
    for i in range(spec["count"]):
        offset = ((i // spec.get("group", 1)) * spec["step"]) // spec.get("per", 1)
        if i == spec["count"] - 1:
            offset -= spec.get("late", 0)
        stamp = (base + dt.timedelta(milliseconds=offset)).isoformat(sep=" ", timespec="milliseconds")
        level = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"][i % 5]
        pad = " " + "p" * spec["pad"] if spec.get("pad") else ""
        lines.append(f"{stamp} {level} (MainThread) [{spec['logger']}] record {i}{pad}")
        if spec.get("traceback") and i % spec["traceback"] == 0:
            lines.append("Traceback (most recent call last):")
            lines.append(f"ValueError: {i}")
    return lines


def lines_of(source):
    return generated(source) if isinstance(source, dict) else source


LONG = "x" * 1200
SOURCES_A = {
    "core": [
        "2026-11-30 18:00:00.000+01:00 INFO (MainThread) [homeassistant.setup] Setting up x",
        "2026-11-30 18:00:00.000+01:00 WARNING (MainThread) [hue] same time token=abc",
        "2026-11-30 18:00:01.250+01:00 ERROR (MainThread) [zwave_js] failed",
        "Traceback (most recent call last):",
        "ValueError: boom",
        "2026-11-30 18:00:01.100+01:00 DEBUG (Thread-2) [zwave_js.x] out of order",
        "2026-11-30 18:00:02.000 INFO no offset",
        "2026-11-30 18:00:03.000+01:00 CRITICAL (MainThread) [x] " + LONG,
        "2026-11-30 17:00:05.000+00:00 INFO (MainThread) [y] other offset",
        "2026-11-30 18:00:06.000+01:00 INFO (MainThread) [y] Bearer abc.def",
    ],
    "b": [
        "2026-11-30 17:00:00.000+00:00 host ident[1]: no level",
        "2026-11-30 17:00:01.250+00:00 host ident[1]: same time as core",
        "2026-11-30 17:00:04.000+00:00 host ident[1]: password: 'x'",
    ],
}
SOURCES_MANY = {
    "core": {"base": "2026-11-30 18:00:00.000+01:00", "count": 2100, "step": 7, "logger": "a", "traceback": 97},
    "b": {"base": "2026-11-30 17:00:00.000+00:00", "count": 1000, "step": 11, "logger": "b"},
    "c": {"base": "2026-11-30 17:00:00.000+00:00", "count": 2000, "step": 1, "per": 10, "logger": "c"},
    "late": {"base": "2026-11-30 18:00:00.000+01:00", "count": 2000, "step": 5, "logger": "l", "late": 3000},
}
SOURCES_BIG = {
    "core": {"base": "2026-11-30 18:00:00.000+01:00", "count": 45, "group": 30, "step": 5000, "logger": "z", "pad": 900},
}
SOURCES_SAME = {
    "core": {"base": "2026-11-30 18:00:00.000+01:00", "count": 2000, "group": 2000, "step": 1, "logger": "s"},
}
SOURCES_FAIL = {"core": SOURCES_A["core"], "b": None}

END = "2026-11-30T18:15:00+01:00"
QUERIES = [
    ("a", SOURCES_A, {"end_time": END}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"]}),
    ("a", SOURCES_A, {"end_time": END, "source": ["b", "core"]}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "level": "WARNING"}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "level": "critical"}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "contains": "ZWAVE"}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "contains": "valueerror"}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "contains": "abc"}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "limit": 1}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "limit": 2}),
    ("a", SOURCES_A, {"end_time": END, "source": ["core", "b"], "limit": 4}),
    ("a", SOURCES_A, {"start_time": "2026-11-30T18:00:01.1+01:00", "end_time": END, "source": ["core", "b"]}),
    ("a", SOURCES_A, {"start_time": "2026-11-30T18:00:01.25", "end_time": "2026-11-30T18:00:04"}),
    ("a", SOURCES_A, {"start_time": "2026-11-30T17:00:01.250Z", "end_time": "2026-11-30T17:00:01.25Z", "source": ["b", "core"]}),
    ("a", SOURCES_A, {"start_time": "2026-11-30T18:00:03", "end_time": "2026-11-30T18:00:02"}),
    ("a", SOURCES_A, {"start_time": "bad", "end_time": END}),
    ("a", SOURCES_A, {"end_time": "bad"}),
    ("a", SOURCES_A, {"end_time": "bad", "start_time": "bad too"}),
    ("a", SOURCES_A, {"end_time": "2026-11-30T18:00:05"}),
    ("a", SOURCES_A, {"end_time": "2026-11-30T18:00:00.000"}),
    ("fail", SOURCES_FAIL, {"end_time": END, "source": ["core", "b"]}),
    ("fail", SOURCES_FAIL, {"end_time": END, "source": ["b"]}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["core"]}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["core"], "limit": 500}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["core", "b", "c"], "limit": 500}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["c"], "limit": 500}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["c", "b"], "level": "error"}),
    ("many", SOURCES_MANY, {"end_time": "2026-11-30T18:00:05+01:00", "source": ["core", "b"], "limit": 500}),
    ("many", SOURCES_MANY, {"end_time": "2026-11-30T18:00:14.693+01:00", "source": ["core"], "limit": 500}),
    ("many", SOURCES_MANY, {"end_time": "2026-11-30T18:00:14.592+01:00", "source": ["core"], "limit": 500}),
    ("many", SOURCES_MANY, {"start_time": "2026-11-30T18:00:10+01:00", "end_time": END, "source": ["core"], "limit": 500}),
    # Few records pass the filter: the page ends where the sources are complete (100 ms before the latest)
    ("many", SOURCES_MANY, {"end_time": END, "source": ["core"], "contains": "record 19"}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["core", "b"], "contains": "record 19"}),
    ("many", SOURCES_MANY, {"end_time": END, "source": ["c"], "contains": "record 199"}),
    ("many", SOURCES_MANY, {"end_time": "2026-11-30T18:00:13.6+01:00", "source": ["core"], "contains": "record 19"}),
    # The last record read is older than others: the page ends at it
    ("many", SOURCES_MANY, {"end_time": END, "source": ["late"], "contains": "record 19"}),
    ("big", SOURCES_BIG, {"end_time": END}),
    ("big", SOURCES_BIG, {"end_time": END, "limit": 5}),
    ("big", SOURCES_BIG, {"start_time": "2026-11-30T18:00:00.001+01:00", "end_time": END}),
    ("same", SOURCES_SAME, {"end_time": END}),
    ("same", SOURCES_SAME, {"end_time": END, "limit": 1}),
    ("same", SOURCES_SAME, {"start_time": "2026-11-30T18:00:00.000500+01:00", "end_time": END}),
    ("same", SOURCES_SAME, {"start_time": "2026-11-30T17:59:59.9995+01:00", "end_time": END}),
    ("same", SOURCES_SAME, {"start_time": "2026-11-30T18:00:00+01:00", "end_time": "2026-11-30T18:00:00.0005+01:00"}),
]


class _Tool(llm.SystemLogGetLogsTool):
    def __init__(self, sources):
        super().__init__({name: name for name in sources}, ["core"])
        self._sources = sources

    async def async_read_source(self, hass, source, start_time, end_time, lines):
        found = self._sources[source]
        if found is None:
            raise HomeAssistantError(f"Could not read the {source} log")
        return lines_of(found)[:lines]


dt_util.set_default_time_zone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
sets = {"a": SOURCES_A, "fail": SOURCES_FAIL, "many": SOURCES_MANY, "big": SOURCES_BIG, "same": SOURCES_SAME}
queries = []
for name, sources, args in QUERIES:
    result = asyncio.run(_Tool(sources).async_call(None, ToolInput("get_logs", args), None))
    data = result.data
    found = data.get("records", [])
    if len(found) > 12:
        # Long answers are kept short: their first and last records, and a digest of HA's whole text
        text = json.dumps(data, ensure_ascii=False)
        data = {
            **{key: value for key, value in data.items() if key != "records"},
            "count": len(found),
            "first": found[:3],
            "last": found[-3:],
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        }
    queries.append({"sources": name, "args": args, "data": data, "error": result.error})

print(
    json.dumps(
        {
            "homeassistant": HA_VERSION,
            "zone": "Europe/Amsterdam",
            "mask": mask,
            "records": records,
            "runs": runs,
            "shorten": shorten,
            "times": times,
            "local": local,
            "timestamps": timestamps,
            "journal": journal,
            "reads": reads,
            "splitlines": splitlines,
            "entries": ENTRIES,
            "entryQueries": entries,
            "sources": sets,
            "queries": queries,
        },
        ensure_ascii=False,
    )
)
