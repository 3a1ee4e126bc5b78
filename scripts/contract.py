#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
contract.py: the kernel/user contract is written in four places; check that
they say the same thing (run through scripts/contract.sh).

  include/uapi/linux/vos.h              what is compiled: the source
  Documentation/netlink/specs/vos.yaml  the generic netlink family (YNL)
  Documentation/abi.md                  one stanza per ioctl and command
  lib/libvirtos/virtos.h                the library's view (+ libvirtos.map)

Nothing here knows a name of the contract: every list is read from the
files, and the files say what they mean by a few conventions, each written
next to what it governs:

  vos.h    an enum vos_attr member's trailing comment starts with its type
           ("u64", "string", "s32: ..."); the top comment's VOS_CMD_*
           paragraph of the notification names the attributes every event
           carries; the comment of an enum vos_event_type member names the
           VOS_A_* it carries besides; "On X: numbers 0xAA-0xBB" comments
           give the ioctl ranges per fd type; struct fields say "in" / "out".
  vos.yaml YNL; the doc of each event-type entry names the attributes
           (spec spelling) that type carries besides the common ones.
  abi.md   "### NAME" stanzas of "- Key: text" bullets; ioctl stanzas have
           Type, Number, Parameters (struct, fields, "(in: ...; out: ...)")
           and Fields; netlink ones are "### VOS_CMD_X (do|dump|notification
           ...)" with Parameters (request), Returns / Attributes (reply)
           naming VOS_A_* (VOS_A_X_* means all of that prefix); a table row
           "| `VOS_EVENT_X` | value | ... |" names what that type carries
           besides; "All of `A` .. `B` (n..m)" states the capability range.
  virtos.h a struct whose comment says "a field per VOS_A_X_* attribute"
           has one field per such attribute (lower case, prefix dropped); a
           struct vos_event field whose comment names VOS_EVENT_* types is
           set in exactly the types that carry its attribute; a "vos_X_name()"
           whose comment lists quoted names lists enum vos_X's; every
           VOS_EXPORT function is in libvirtos.map and the reverse.

Prints "file:line: what differs" per mismatch; exit 1 if any, 0 if none,
2 on bad usage. --dump-yaml FILE prints the spec as JSON (for tests).
"""
import json
import os
import re
import sys

HEADER = "include/uapi/linux/vos.h"
SPEC = "Documentation/netlink/specs/vos.yaml"
ABI = "Documentation/abi.md"
LIBH = "lib/libvirtos/virtos.h"
LIBMAP = "lib/libvirtos/libvirtos.map"

NL_TYPES = ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "string", "flag",
            "binary", "nest", "bitfield32")


class Mismatch(Exception):
    """A file that cannot be read as the conventions say."""

    def __init__(self, path, line, msg):
        super().__init__(msg)
        self.path, self.line = path, line


class Report:
    def __init__(self):
        self.items = []

    def __call__(self, path, line, msg):
        self.items.append((path, int(line or 1), msg))

    def emit(self, out):
        seen = set()
        for path, line, msg in sorted(self.items, key=lambda x: (x[0], x[1])):
            if (path, line, msg) in seen:
                continue
            seen.add((path, line, msg))
            out.write("%s:%d: %s\n" % (path, line, msg))


def where(path, line):
    return "%s:%d" % (path, line)


# ----------------------------------------------------------------------------
# C headers
# ----------------------------------------------------------------------------

class Block:
    """A comment: first and last line (1-based), text, whether code precedes it."""

    def __init__(self, first, after_code):
        self.first = self.last = first
        self.after_code = after_code
        self.parts = []

    @property
    def text(self):
        out = []
        for p in self.parts:
            p = p.strip()
            if p.startswith("*"):
                p = p[1:]
            out.append(p.strip())
        return " ".join(x for x in out if x)


def lex_c(text):
    """Per line the code without comments, and the comment blocks."""
    lines = text.split("\n")
    code = []
    blocks = []
    cur = None
    for i, line in enumerate(lines, 1):
        j, buf = 0, []
        while j < len(line):
            if cur is not None:
                k = line.find("*/", j)
                if k < 0:
                    cur.parts.append(line[j:])
                    j = len(line)
                else:
                    cur.parts.append(line[j:k])
                    cur.last = i
                    blocks.append(cur)
                    cur = None
                    j = k + 2
            elif line.startswith("/*", j):
                cur = Block(i, bool("".join(buf).strip()))
                j += 2
            elif line.startswith("//", j):
                b = Block(i, bool("".join(buf).strip()))
                b.parts.append(line[j + 2:])
                blocks.append(b)
                j = len(line)
            elif line[j] == '"':
                k = j + 1
                while k < len(line) and line[k] != '"':
                    k += 2 if line[k] == "\\" else 1
                buf.append(line[j:k + 1])
                j = k + 1
            else:
                buf.append(line[j])
                j += 1
        code.append("".join(buf))
    return lines, code, blocks


class Member:
    def __init__(self, name, value, line, comment, trailing):
        self.name, self.value, self.line = name, value, line
        self.comment = comment    # above + trailing
        self.trailing = trailing  # the trailing comment only


class Field:
    def __init__(self, name, ctype, line, comment):
        self.name, self.ctype, self.line, self.comment = name, ctype, line, comment

    @property
    def direction(self):
        m = re.match(r"(in/out|in|out)\b", self.comment)
        return m.group(1) if m else None


class CHeader:
    """The declarations of a C header, with their comments and lines."""

    def __init__(self, path, text):
        self.path = path
        self.lines, self.code, self.blocks = lex_c(text)
        self.defines = {}   # name -> (value, line, trailing comment)
        self.enums = {}     # name -> (line, [Member])
        self.structs = {}   # name -> (line, [Field], comment above)
        self.exports = []   # (name, line, comment above) of VOS_EXPORT functions
        self.comment_tokens = []  # (line, token) of VOS_* in comments
        self.trailing = {}  # line -> Block starting after code on it
        self.ends_at = {}   # last line -> standalone Block
        for b in self.blocks:
            if b.after_code:
                self.trailing[b.first] = b
            else:
                self.ends_at[b.last] = b
        for b in self.blocks:
            for m in re.finditer(r"\bVOS_[A-Z0-9_]*[A-Z0-9](_\*|_<)?", b.text):
                self.comment_tokens.append((b.first, m.group(0)))
        self._parse()

    def above(self, line):
        """The standalone comments directly above @line, joined."""
        texts = []
        ln = line - 1
        while ln in self.ends_at:
            b = self.ends_at[ln]
            texts.insert(0, b.text)
            ln = b.first - 1
        return " ".join(texts)

    def trail(self, line):
        b = self.trailing.get(line)
        return b.text if b else ""

    def _parse(self):
        i = 0
        n = len(self.code)
        while i < n:
            c = self.code[i].strip()
            ln = i + 1
            m = re.match(r"#\s*define\s+(\w+)(?:\s+(.*))?$", c)
            if m:
                self.defines[m.group(1)] = ((m.group(2) or "").strip(), ln, self.trail(ln))
                i += 1
                continue
            m = re.match(r"(?:typedef\s+)?enum\s+(\w+)\s*\{\s*$", c)
            if m:
                i = self._enum(m.group(1), i)
                continue
            m = re.match(r"struct\s+(\w+)\s*\{\s*$", c)
            if m:
                i = self._struct(m.group(1), i)
                continue
            m = re.match(r"VOS_EXPORT\b.*?\b(\w+)\s*\(", c)
            if m:
                self.exports.append((m.group(1), ln, self.above(ln)))
            i += 1

    def _enum(self, name, i):
        start = i + 1
        members = []
        value = -1
        i += 1
        while i < len(self.code):
            c = self.code[i].strip()
            ln = i + 1
            if c.startswith("}"):
                break
            for part in [p.strip() for p in c.split(",") if p.strip()]:
                m = re.match(r"([A-Za-z_]\w*)\s*(?:=\s*(.+))?$", part)
                if not m:
                    raise Mismatch(self.path, ln, "enum %s: cannot read member '%s'" % (name, part))
                mname, expr = m.group(1), m.group(2)
                if expr is not None:
                    try:
                        value = int(expr, 0)
                    except ValueError:
                        value = None  # an alias such as X_MAX = __X_MAX - 1
                elif value is not None:
                    value += 1
                if mname.startswith("__") or value is None:
                    continue
                trailing = self.trail(ln)
                members.append(Member(mname, value, ln,
                                      (self.above(ln) + " " + trailing).strip(), trailing))
            i += 1
        self.enums[name] = (start, members)
        return i + 1

    def _struct(self, name, i):
        start = i + 1
        fields = []
        i += 1
        while i < len(self.code):
            c = self.code[i].strip()
            ln = i + 1
            if c.startswith("}"):
                break
            m = re.match(r"(.+?)\s*\b(\w+)\s*(\[[^\]]*\])?\s*;$", c)
            if m:
                fields.append(Field(m.group(2), m.group(1).strip(), ln, self.trail(ln)))
            i += 1
        self.structs[name] = (start, fields, self.above(start))
        return i + 1

    def enum(self, name):
        if name not in self.enums:
            raise Mismatch(self.path, 1, "no enum %s" % name)
        return self.enums[name]

    def members(self):
        """Every enumerator: name -> (enum, Member)."""
        out = {}
        for ename, (_, members) in self.enums.items():
            for m in members:
                out[m.name] = (ename, m)
        return out


IOCTL_RE = re.compile(r"^_IO(W|R|WR)?\(\s*(\w+)\s*,\s*(0x[0-9A-Fa-f]+|\d+)\s*(?:,\s*(struct\s+\w+))?\s*\)$")


def norm_ioctl(text):
    m = IOCTL_RE.match(re.sub(r"\s+", " ", text.strip()))
    if not m:
        return None
    return ("_IO" + (m.group(1) or ""), m.group(2), int(m.group(3), 0),
            re.sub(r"\s+", " ", m.group(4)) if m.group(4) else None)


class Uapi:
    """What include/uapi/linux/vos.h says."""

    def __init__(self, h, report):
        self.h = h
        path = h.path
        d = h.defines
        self.caps = {n: (int(v, 0), ln) for n, (v, ln, _) in d.items()
                     if n.startswith("VOS_CAP_") and re.match(r"^\d+$", v)}
        if not self.caps:
            raise Mismatch(path, 1, "no VOS_CAP_* numbers")
        self.flags = {}  # name -> (bit, line)
        for n, (v, ln, _) in d.items():
            m = re.match(r"^\(\s*1U?\s*<<\s*(\d+)\s*\)$", v)
            if m:
                self.flags[n] = (int(m.group(1)), ln)
        # ioctls, and the fd type of the range each number falls in
        ranges = []
        for b in h.blocks:
            m = re.match(r"On (.+?): numbers (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)$", b.text)
            if m:
                ranges.append((m.group(1), int(m.group(2), 16), int(m.group(3), 16), b.first))
        self.ioctls = {}  # name -> (kind, type, nr, struct, line, fd)
        for n, (v, ln, _) in d.items():
            io = norm_ioctl(v)
            if not io:
                continue
            fd = None
            for label, lo, hi, _ in ranges:
                if lo <= io[2] <= hi:
                    fd = label
            if fd is None:
                report(path, ln, "%s: number 0x%02x is in no \"On ...: numbers\" range"
                       % (n, io[2]))
            self.ioctls[n] = io + (ln, fd)
        if not self.ioctls:
            raise Mismatch(path, 1, "no ioctl numbers")
        self.attr_line, attrs = h.enum("vos_attr")
        self.attrs = {}  # name -> (value, type or None, line)
        self.attr_order = []
        for m in attrs:
            t = re.match(r"([a-z0-9]+)\b", m.trailing)
            typ = t.group(1) if t and t.group(1) in NL_TYPES else None
            self.attrs[m.name] = (m.value, typ, m.line)
            self.attr_order.append(m.name)
        self.cmd_line, cmds = h.enum("vos_cmd")
        self.cmds = {m.name: (m.value, m.line) for m in cmds}
        self.cmd_prefix = os.path.commonprefix(list(self.cmds))
        self.top = self._top_comment()
        self.cmd_paras = self._cmd_paragraphs()

    def _top_comment(self):
        for b in self.h.blocks:
            if b.last > b.first and self.cmd_prefix in b.text:
                return b
        raise Mismatch(self.h.path, 1, "no top comment describing the %s* commands" % self.cmd_prefix)

    def _cmd_paragraphs(self):
        """VOS_CMD_X -> (line, VOS_A_* named) from the top comment."""
        b = self.top
        raw = self.h.lines[b.first - 1:b.last]
        out = {}
        cur = None
        for k, line in enumerate(raw):
            ln = b.first + k
            text = re.sub(r"^\s*/?\*+/?", "", line)
            if not text.strip():
                cur = None
                continue
            ind = len(text) - len(text.lstrip())
            m = re.match(r"(%s\w+)\b" % self.cmd_prefix, text.strip())
            if m:
                cur = [m.group(1), ind, ln, text]
                out[m.group(1)] = cur
            elif cur and ind > cur[1]:
                cur[3] += " " + text
            else:
                cur = None
        return {k: (v[2], v[3]) for k, v in out.items()}

    def events(self):
        """enum vos_event_type: name -> (value, line, VOS_A_* it carries besides)."""
        _, members = self.h.enum("vos_event_type")
        return {m.name: (m.value, m.line, set(re.findall(r"\bVOS_A_\w+", m.comment)))
                for m in members}

    def expand(self, tokens):
        """VOS_A_X_* -> every attribute of that prefix."""
        out = set()
        for t in tokens:
            if t.endswith("_*"):
                out |= {a for a in self.attrs if a.startswith(t[:-1])}
            else:
                out.add(t)
        return out

    def known(self, token):
        """Is VOS_X (or the prefix VOS_X_*) something vos.h defines?"""
        names = set(self.h.defines) | set(self.h.members())
        if token.endswith("_*") or token.endswith("_<"):
            return any(n.startswith(token[:-1]) for n in names)
        return token in names


# ----------------------------------------------------------------------------
# YAML: the subset the YNL spec uses (block mappings and sequences, flow
# sequences on one line, plain / quoted / literal scalars, anchors, aliases)
# ----------------------------------------------------------------------------

class YStr(str):
    line = 0


class YMap(dict):
    line = 0

    def __init__(self):
        super().__init__()
        self.lines = {}


class YSeq(list):
    line = 0

    def __init__(self):
        super().__init__()
        self.lines = []


def _uncomment(s):
    q = None
    for k, ch in enumerate(s):
        if q:
            if ch == q:
                q = None
        elif ch in "'\"" and (k == 0 or s[k - 1] in " [,:"):
            q = ch
        elif ch == "#" and (k == 0 or s[k - 1] == " "):
            return s[:k].rstrip()
    return s.rstrip()


class Yaml:
    def __init__(self, path, text):
        self.path = path
        self.raw = text.split("\n")
        self.i = 0
        self.anchors = {}

    def fail(self, msg, line=None):
        raise Mismatch(self.path, line or self.i + 1, "YAML: " + msg)

    def peek(self):
        while self.i < len(self.raw):
            s = _uncomment(self.raw[self.i])
            if s.strip() and s.strip() != "---":
                return len(s) - len(s.lstrip(" ")), s.strip()
            self.i += 1
        return None

    def parse(self):
        p = self.peek()
        if p is None:
            self.fail("empty")
        node = self.node(p[0])
        if self.peek() is not None:
            self.fail("unexpected text")
        return node

    def node(self, ind):
        _, s = self.peek()
        return self.seq(ind) if s == "-" or s.startswith("- ") else self.map(ind)

    def seq(self, ind):
        out = YSeq()
        out.line = self.i + 1
        while True:
            p = self.peek()
            if p is None or p[0] != ind or not (p[1] == "-" or p[1].startswith("- ")):
                if p is not None and p[0] > ind:
                    self.fail("bad indentation")
                return out
            line = self.i + 1
            raw = self.raw[self.i]
            rest = p[1][1:].strip()
            if not rest:
                self.i += 1
                q = self.peek()
                item = self.node(q[0]) if q is not None and q[0] > ind else None
            elif re.match(r"^[\w.-]+:(\s|$)", rest):
                col = raw.index("-") + 1
                col += len(raw[col:]) - len(raw[col:].lstrip(" "))
                self.raw[self.i] = " " * col + raw[col:]
                item = self.map(col)
            else:
                self.i += 1
                item = self.scalar(rest, line, ind)
            out.append(item)
            out.lines.append(line)

    def map(self, ind):
        out = YMap()
        out.line = self.i + 1
        while True:
            p = self.peek()
            if p is None or p[0] < ind:
                return out
            if p[0] > ind:
                self.fail("bad indentation")
            s = p[1]
            if s == "-" or s.startswith("- "):
                return out
            m = re.match(r"^([^\s:'\"][^:]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s+(.*))?$", s)
            if not m:
                self.fail("expected 'key: value'")
            key = m.group(1).strip("'\"")
            val = (m.group(2) or "").strip()
            line = self.i + 1
            self.i += 1
            anchor = None
            if val.startswith("&"):
                anchor, _, val = val.partition(" ")
                anchor, val = anchor[1:], val.strip()
            if val in ("|", "|-", "|+", ">", ">-", ">+"):
                node = self.block(ind, line, val[0])
            elif val == "":
                q = self.peek()
                if q is not None and (q[0] > ind or (q[0] == ind and (q[1] == "-" or q[1].startswith("- ")))):
                    node = self.node(q[0])
                else:
                    node = YStr("")
                    node.line = line
            else:
                node = self.scalar(val, line, ind)
            if anchor:
                self.anchors[anchor] = node
            if key in out:
                self.fail("key '%s' given twice" % key, line)
            out[key] = node
            out.lines[key] = line
        return out

    def block(self, ind, line, style):
        parts = []
        body = None
        while self.i < len(self.raw):
            raw = self.raw[self.i]
            if raw.strip() == "":
                parts.append("")
                self.i += 1
                continue
            k = len(raw) - len(raw.lstrip(" "))
            if k <= ind:
                break
            if body is None:
                body = k
            parts.append(raw[body:])
            self.i += 1
        while parts and parts[-1] == "":
            parts.pop()
        s = YStr(("\n" if style == "|" else " ").join(parts) + "\n")
        s.line = line
        return s

    def scalar(self, val, line, ind):
        if val.startswith("*"):
            name = val[1:].strip()
            if name not in self.anchors:
                self.fail("unknown alias *%s" % name, line)
            return self.anchors[name]
        if val.startswith("["):
            if not val.endswith("]"):
                self.fail("a flow sequence must fit on one line", line)
            out = YSeq()
            out.line = line
            for part in val[1:-1].split(","):
                if part.strip():
                    out.append(self.scalar(part.strip(), line, ind))
                    out.lines.append(line)
            return out
        if val.startswith("{"):
            self.fail("flow mappings are not supported", line)
        if val[0] in "'\"":
            if len(val) < 2 or val[-1] != val[0]:
                self.fail("quoted scalar must fit on one line", line)
            s = YStr(val[1:-1])
        else:
            words = [val]
            while True:  # plain scalar continued on deeper lines
                p = self.peek()
                if p is None or p[0] <= ind or re.match(r"^[\w.-]+:(\s|$)", p[1]) or p[1].startswith("- "):
                    break
                words.append(p[1])
                self.i += 1
            s = YStr(" ".join(words))
        s.line = line
        return s


def plain(node):
    """The parsed YAML as plain Python (for --dump-yaml)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        s = str(node)
        if re.match(r"^-?\d+$", s):
            return int(s)
        if s in ("true", "false"):
            return s == "true"
        return s
    return node


def yline(node, key=None):
    if key is not None and isinstance(node, YMap) and key in node.lines:
        return node.lines[key]
    return getattr(node, "line", 1) or 1


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def y_entries(defn):
    """(name, value or None, doc, line) of a YNL enum/flags definition."""
    out = []
    entries = defn.get("entries", YSeq())
    for k, e in enumerate(entries):
        line = entries.lines[k] if k < len(entries.lines) else yline(entries)
        if isinstance(e, dict):
            v = e.get("value")
            out.append((str(e.get("name", "")), int(v) if v is not None else None,
                        str(e.get("doc", "")), line))
        else:
            out.append((str(e), None, "", line))
    return out


# ----------------------------------------------------------------------------
# Markdown: headings, "- Key: text" bullets, table rows
# ----------------------------------------------------------------------------

class Stanza:
    def __init__(self, title, line, section):
        self.title, self.line, self.section = title, line, section
        self.bullets = {}  # key -> (line, text)
        self.rows = []     # (line, [cells])
        self.text = ""     # everything, for token scans


def read_md(text):
    stanzas = []
    sections = []
    section = ""
    cur = None
    bullet = None
    for ln, line in enumerate(text.split("\n"), 1):
        m = re.match(r"^(#{2,3})\s+(.*?)\s*$", line)
        if m:
            bullet = None
            if len(m.group(1)) == 2:
                section = m.group(2)
                sections.append((ln, section))
                cur = None
            else:
                cur = Stanza(m.group(2), ln, section)
                stanzas.append(cur)
            continue
        if cur is None:
            continue
        cur.text += line + "\n"
        row = re.match(r"^\s*\|(.*)\|\s*$", line)
        if row:
            cells = [c.strip() for c in row.group(1).split("|")]
            if not all(re.match(r"^:?-+:?$", c) for c in cells):
                cur.rows.append((ln, cells))
            bullet = None
            continue
        if line.startswith("- "):
            bullet = None
            m = re.match(r"^- ([A-Z][\w ,]{0,30}?):\s*(.*)$", line)
            if m:
                bullet = [ln, m.group(2)]
                cur.bullets[m.group(1)] = bullet
            continue
        if line.strip() == "" or not line[0].isspace():
            bullet = None
        elif bullet is not None:
            bullet[1] += " " + line.strip()
    return sections, stanzas


def ticks(text):
    return re.findall(r"`([^`]+)`", text)


def vos_tokens(text):
    """VOS_* names in backticks, wildcards (VOS_A_SUBSYS_*) included."""
    out = []
    for t in ticks(text):
        for m in re.finditer(r"\bVOS_[A-Z0-9_]*[A-Z0-9](_\*)?", t):
            out.append(m.group(0))
    return out


# ----------------------------------------------------------------------------
# the checks
# ----------------------------------------------------------------------------

def check(root, report):
    def read(rel):
        try:
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise Mismatch(rel, 1, "cannot read: %s" % e.strerror)

    u = Uapi(CHeader(HEADER, read(HEADER)), report)
    spec = Yaml(SPEC, read(SPEC)).parse()
    sections, stanzas = read_md(read(ABI))
    lib = CHeader(LIBH, read(LIBH))
    libmap = read(LIBMAP)

    events = u.events()
    if not events:
        raise Mismatch(HEADER, 1, "enum vos_event_type has no member")

    check_spec(u, spec, events, report)
    try:
        dev = read("module/dev.c")
    except Mismatch:
        dev = None      # a --root copy without the module
    check_abi(u, spec, sections, stanzas, events, report, dev)
    # vosctl version names every capability the module can have
    try:
        ver = read("tools/vosctl/cmd_version.c")
    except Mismatch:
        ver = None
    if ver is not None:
        named = set(re.findall(r"\{ (VOS_CAP_\w+), \"", ver))
        for n in sorted(set(u.caps) ^ named):
            report("tools/vosctl/cmd_version.c", 1, "capability %s: %s" % (
                n, "not in the caps[] table of vosctl version" if n in u.caps else "not in " + HEADER))
    check_lib(u, lib, events, libmap, report)


def spec_ops(spec):
    """(VOS_CMD_X, value, op, line) of each operation."""
    ops = spec.get("operations", {})
    prefix = str(ops.get("name-prefix", "%s-cmd-" % spec.get("name")))
    out = []
    value = 1  # YNL's unified model: ops count from 1 unless given
    for k, op in enumerate(ops.get("list", YSeq())):
        if "value" in op:
            value = int(op["value"])
        out.append((c_name(prefix, str(op["name"])), value, op, ops["list"].lines[k]))
        value += 1
    return out


def op_attrs(op, kind, part):
    """The attribute list of op's do/dump request/reply, or of its event."""
    node = op.get(kind)
    if node is None:
        return None
    if kind == "event":
        return [str(a) for a in node.get("attributes", [])], yline(node)
    sub = node.get(part)
    if sub is None:
        return [], yline(node)
    return [str(a) for a in sub.get("attributes", [])], yline(sub)


def notification(u, spec):
    """(VOS_CMD_X, op) of the spec's event operation."""
    aprefix = str(spec["attribute-sets"][0].get("name-prefix", ""))
    for cname, _, op, _ in spec_ops(spec):
        if "event" in op:
            return cname, op, aprefix
    raise Mismatch(SPEC, 1, "no operation with an event")


def check_spec(u, spec, events, report):
    # the family and its multicast groups
    fam = u.h.defines.get("VOS_GENL_NAME")
    if fam and str(spec.get("name")) != fam[0].strip('"'):
        report(SPEC, yline(spec, "name"), "family name '%s', %s says %s"
               % (spec.get("name"), where(HEADER, fam[1]), fam[0]))
    groups = {v.strip('"'): (n, ln) for n, (v, ln, _) in u.h.defines.items()
              if n.startswith("VOS_MCGRP_")}
    mc = spec.get("mcast-groups", {}).get("list", YSeq())
    names = {str(g["name"]) for g in mc}
    for k, g in enumerate(mc):
        if str(g["name"]) not in groups:
            report(SPEC, mc.lines[k], "multicast group '%s' is not a VOS_MCGRP_* of %s"
                   % (g["name"], HEADER))
    for gname, (n, ln) in groups.items():
        if gname not in names:
            report(SPEC, yline(spec, "mcast-groups"), "no multicast group '%s' (%s, %s)"
                   % (gname, n, where(HEADER, ln)))

    # definitions: constants, enums and flags
    members = u.h.members()
    for d in spec.get("definitions", []):
        dtype, dname = str(d.get("type")), str(d.get("name"))
        prefix = str(d.get("name-prefix", "vos-" + dname + "-"))
        if dtype == "const":
            cname = c_name("vos-", dname)
            got = u.h.defines.get(cname)
            if not got:
                report(SPEC, yline(d), "const %s: %s has no %s" % (dname, HEADER, cname))
            elif int(got[0], 0) != int(d["value"]):
                report(SPEC, yline(d, "value"), "const %s is %s, %s says %s = %s"
                       % (dname, d["value"], where(HEADER, got[1]), cname, got[0]))
            continue
        cprefix = c_name(prefix, "")
        if dtype == "enum":
            want = {n: m for n, (_, m) in members.items() if n.startswith(cprefix)}
            value = int(d.get("value-start", 0))
        elif dtype == "flags":
            want = {n: v for n, v in u.flags.items() if n.startswith(cprefix)}
            value = int(d.get("value-start", 0))
        else:
            continue
        seen = set()
        for ename, evalue, _, line in y_entries(d):
            if evalue is not None:
                value = evalue
            cname = c_name(prefix, ename)
            seen.add(cname)
            if cname not in want:
                report(SPEC, line, "%s %s: entry '%s' is not in %s (no %s)"
                       % (dtype, dname, ename, HEADER, cname))
            elif dtype == "enum" and want[cname].value != value:
                report(SPEC, line, "%s %s: '%s' is %d, %s says %s = %d"
                       % (dtype, dname, ename, value, where(HEADER, want[cname].line),
                          cname, want[cname].value))
            elif dtype == "flags" and want[cname][0] != value:
                report(SPEC, line, "%s %s: '%s' is bit %d, %s says %s = (1U << %d)"
                       % (dtype, dname, ename, value, where(HEADER, want[cname][1]),
                          cname, want[cname][0]))
            value += 1
        for cname in sorted(set(want) - seen):
            line = want[cname].line if dtype == "enum" else want[cname][1]
            report(SPEC, yline(d, "entries"), "%s %s has no entry for %s (%s)"
                   % (dtype, dname, cname, where(HEADER, line)))

    # the attribute set: names, order, values, types
    sets = spec.get("attribute-sets", YSeq())
    if len(sets) != 1:
        raise Mismatch(SPEC, yline(spec, "attribute-sets"), "expected one attribute set")
    aset = sets[0]
    aprefix = str(aset.get("name-prefix", "vos-a-"))
    alist = aset.get("attributes", YSeq())
    value = 0
    spec_attrs = {}
    for k, a in enumerate(alist):
        if "value" in a:
            value = int(a["value"])
        cname = c_name(aprefix, str(a["name"]))
        spec_attrs[cname] = (value, str(a.get("type", "")), alist.lines[k])
        value += 1
    for cname, (value, typ, line) in spec_attrs.items():
        name = cname[len(c_name(aprefix, "")):].lower().replace("_", "-")
        if cname not in u.attrs:
            report(SPEC, line, "attribute %s: %s has no %s" % (name, HEADER, cname))
            continue
        hval, htyp, hline = u.attrs[cname]
        if hval != value:
            report(SPEC, line, "attribute %s is %d here, %s says %s = %d (order differs)"
                   % (name, value, where(HEADER, hline), cname, hval))
        if htyp is None and typ not in ("unused", "pad"):
            report(HEADER, hline, "%s has no type comment, %s says %s"
                   % (cname, where(SPEC, line), typ))
        elif htyp is not None and htyp != typ:
            report(SPEC, line, "attribute %s: type %s, %s says %s"
                   % (name, typ, where(HEADER, hline), htyp))
    for cname in u.attr_order:
        if cname not in spec_attrs:
            report(SPEC, yline(alist), "no attribute for %s (%s)"
                   % (cname, where(HEADER, u.attrs[cname][2])))

    # operations: names and values
    ops = spec_ops(spec)
    seen = set()
    for cname, value, op, line in ops:
        name = str(op["name"])
        seen.add(cname)
        if cname not in u.cmds:
            report(SPEC, line, "operation %s: %s has no %s" % (name, HEADER, cname))
        elif u.cmds[cname][0] != value:
            report(SPEC, line, "operation %s is %d, %s says %s = %d"
                   % (name, value, where(HEADER, u.cmds[cname][1]), cname, u.cmds[cname][0]))
        for kind in ("do", "dump"):
            for part in ("request", "reply"):
                got = op_attrs(op, kind, part)
                for a in (got[0] if got else []):
                    if c_name(aprefix, a) not in spec_attrs:
                        report(SPEC, got[1], "operation %s %s %s: no attribute %s"
                               % (name, kind, part, a))
    for cname, (value, line) in u.cmds.items():
        if value != 0 and cname not in seen:
            report(SPEC, yline(spec, "operations"), "no operation for %s (%s)"
                   % (cname, where(HEADER, line)))

    # events: the notification's attributes are the common ones and every
    # type's own; each event-type entry names its own
    cmd, op, aprefix = notification(u, spec)
    ev_attrs, ev_line = op_attrs(op, "event", None)
    ev_set = {c_name(aprefix, a) for a in ev_attrs}
    if cmd not in u.cmd_paras:
        report(HEADER, u.top.first, "the top comment does not describe %s" % cmd)
        common = set()
    else:
        common = set(re.findall(r"\bVOS_A_\w+", u.cmd_paras[cmd][1]))
    extras = set().union(*(e[2] for e in events.values()))
    for a in sorted((common | extras) - ev_set):
        report(SPEC, ev_line, "event %s: no attribute %s (%s: every event, or a type, carries it)"
               % (op["name"], a.lower()[len(c_name(aprefix, "")):].replace("_", "-"),
                  HEADER))
    for a in sorted(ev_set - common - extras):
        report(SPEC, ev_line, "event %s: attribute %s is neither in every event (%s) nor named by an enum vos_event_type member"
               % (op["name"], a[len(c_name(aprefix, "")):].lower().replace("_", "-"),
                  where(HEADER, u.cmd_paras.get(cmd, (u.top.first,))[0])))
    evdef = None
    evprefix = os.path.commonprefix(list(events))
    for d in spec.get("definitions", []):
        if str(d.get("type")) == "enum" and c_name(str(d.get("name-prefix", "")), "") == evprefix:
            evdef = d
    if evdef is None:
        report(SPEC, yline(spec, "definitions"), "no enum definition for %s*" % evprefix)
        return
    names = sorted((str(a["name"]) for a in alist), key=len, reverse=True)
    for ename, _, doc, line in y_entries(evdef):
        cname = c_name(str(evdef["name-prefix"]), ename)
        if cname not in events:
            continue
        said = set()
        for n in names:
            if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(n), doc):
                said.add(c_name(aprefix, n))
        said -= common
        want = events[cname][2]
        if said != want:
            report(SPEC, line, "event type %s: %s" % (ename, differ(
                said, want, where(HEADER, events[cname][1]))))


def fmt_set(s):
    if not s:
        return "nothing more"
    return ", ".join(sorted(s))


def differ(said, want, other):
    """What a set named here lacks and has too much against @other's."""
    out = []
    if want - said:
        out.append("lacks %s (%s has %s)" % (", ".join(sorted(want - said)), other,
                                            "it" if len(want - said) == 1 else "them"))
    if said - want:
        out.append("has %s (%s does not)" % (", ".join(sorted(said - want)), other))
    return "; ".join(out)


def check_abi(u, spec, sections, stanzas, events, report, dev=None):
    by_title = {}
    for s in stanzas:
        by_title.setdefault(s.title.split(" ")[0], []).append(s)

    # every VOS_* and vos_* name the page uses exists
    text_lines = []
    for s in stanzas:
        for k, line in enumerate(s.text.split("\n")):
            text_lines.append((s.line + 1 + k, line))
    for ln, line in text_lines:
        for t in vos_tokens(line):
            if not u.known(t):
                report(ABI, ln, "`%s` is not defined in %s" % (t, HEADER))
        for t in ticks(line):
            m = re.match(r"^struct (vos_\w+)$", t)
            if m and m.group(1) not in u.h.structs:
                report(ABI, ln, "`%s` is not in %s" % (t, HEADER))
            m = re.match(r"^(vos_[a-z_]+)$", t)
            if m and m.group(1) not in u.h.structs and m.group(1) not in u.h.enums:
                report(ABI, ln, "`%s` is not a struct or enum of %s" % (t, HEADER))
        for m in re.finditer(r"`(VOS_A_\w+)`\s*\(([^)]*)\)", line):
            words = re.findall(r"[a-z0-9]+", m.group(2))
            typ = next((w for w in words if w in NL_TYPES), None)
            att = u.attrs.get(m.group(1))
            if typ and att and att[1] and typ != att[1]:
                report(ABI, ln, "%s is %s here, %s says %s"
                       % (m.group(1), typ, where(HEADER, att[2]), att[1]))

    # capabilities: "All of `A` .. `B` (n..m)" and "`C` (n)" in the same
    # sentence: together exactly the header's VOS_CAP_* names and numbers
    # (numbers are handed out ahead of features: the set may have gaps)
    have = {n: v[0] for n, v in u.caps.items()}
    cap_re = r"All of `(VOS_CAP_\w+)`\s*\.\.\s*`(VOS_CAP_\w+)`\s*\((\d+)\.\.(\d+)\)"
    found = False
    for s in stanzas:
        for m in re.finditer(cap_re, s.text):
            found = True
            ln = s.line + 1 + s.text[:m.start()].count("\n")
            a, b, n1, n2 = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
            listed = {}
            if have.get(a) != n1 or have.get(b) != n2:
                report(ABI, ln, "capabilities %s .. %s (%d..%d): %s has %s = %s, %s = %s"
                       % (a, b, n1, n2, HEADER, a, have.get(a), b, have.get(b)))
            for n, v in have.items():
                if n1 <= v <= n2:
                    listed[n] = v
            # the rest of the sentence: single "`VOS_CAP_X` (n)"
            end = s.text.find(" return 1", m.end())
            tail = s.text[m.end():end if end >= 0 else len(s.text)]
            for m2 in re.finditer(r"`(VOS_CAP_\w+)`\s*\((\d+)\)", tail):
                if have.get(m2.group(1)) != int(m2.group(2)):
                    report(ABI, ln, "capability %s (%s): %s has %s"
                           % (m2.group(1), m2.group(2), HEADER, have.get(m2.group(1))))
                listed[m2.group(1)] = int(m2.group(2))
            for n in sorted(set(have) - set(listed), key=lambda x: have[x]):
                report(ABI, ln, "capabilities: %s (%d, %s) is not listed"
                       % (n, have[n], where(HEADER, u.caps[n][1])))
            # the module answers from a list (module/dev.c: vos_has_cap)
            if dev is not None:
                mod = set(re.findall(r"case (VOS_CAP_\w+):", dev))
                for n in sorted(set(have) ^ mod):
                    report(ABI if n in have else "module/dev.c", ln,
                           "capability %s: %s" % (n, "module/dev.c (vos_has_cap) does not return 1 for it"
                                                  if n in have else "not in " + HEADER))
    if not found:
        report(ABI, 1, "no \"All of `VOS_CAP_...` .. `VOS_CAP_...` (n..m)\" line for the capabilities")

    # ioctls
    for name, (kind, typ, nr, struct, hline, fd) in u.ioctls.items():
        ss = [s for s in by_title.get(name, []) if s.title == name]
        if not ss:
            report(ABI, sections[0][0] if sections else 1, "no stanza for %s (%s)"
                   % (name, where(HEADER, hline)))
            continue
        s = ss[0]
        if fd and fd not in s.section:
            report(ABI, s.line, "%s is under \"%s\", %s puts it on %s"
                   % (name, s.section, where(HEADER, hline), fd))
        t = s.bullets.get("Type")
        if not t or "ioctl" not in t[1]:
            report(ABI, s.line, "%s: no \"Type: ... ioctl\"" % name)
        elif fd and t[1].replace(" ioctl", "").strip() not in fd:
            report(ABI, t[0], "%s: type \"%s\", %s puts it on %s"
                   % (name, t[1], where(HEADER, hline), fd))
        num = s.bullets.get("Number")
        if num:
            got = None
            for tk in ticks(num[1]):
                got = norm_ioctl(tk) or got
            if got != (kind, typ, nr, struct):
                report(ABI, num[0], "%s: number %s, %s says %s"
                       % (name, num[1], where(HEADER, hline), u.h.defines[name][0]))
        par = s.bullets.get("Parameters")
        named = re.findall(r"`(struct \w+)`", par[1]) if par else []
        if struct and (not par or struct not in named):
            report(ABI, par[0] if par else s.line, "%s: parameters should be `%s` (%s)"
                   % (name, struct, where(HEADER, hline)))
            continue
        if not struct:
            if named:
                report(ABI, par[0], "%s takes no struct (%s), the stanza names %s"
                       % (name, where(HEADER, hline), ", ".join(named)))
            continue
        check_fields(u, name, struct, s, hline, report)

    for s in stanzas:
        name = s.title.split(" ")[0]
        t = s.bullets.get("Type")
        if t and "ioctl" in t[1] and name not in u.ioctls:
            report(ABI, s.line, "%s: %s has no such ioctl" % (name, HEADER))

    # generic netlink: the family, the commands and their attributes
    fam = u.h.defines.get("VOS_GENL_NAME")
    ver = u.h.defines.get("VOS_GENL_VERSION")
    for ln, title in sections:
        m = re.search(r'family "(\w+)" \(version (\d+)\)', title)
        if m and fam and ver and (m.group(1), m.group(2)) != (fam[0].strip('"'), ver[0]):
            report(ABI, ln, "family \"%s\" version %s, %s says %s version %s"
                   % (m.group(1), m.group(2), HEADER, fam[0], ver[0]))
    aprefix = str(spec["attribute-sets"][0].get("name-prefix", ""))
    kinds = {"do": "do", "dump": "dump", "notification": "event"}
    ops = {cname: op for cname, _, op, _ in spec_ops(spec)}
    for cname, (value, hline) in u.cmds.items():
        if value == 0:
            continue
        op = ops.get(cname, {})
        have = {}
        for s in by_title.get(cname, []):
            m = re.match(r"^\w+ \((\w+)", s.title)
            if not m or m.group(1) not in kinds:
                report(ABI, s.line, "%s: say (do), (dump) or (notification ...) in the title" % cname)
                continue
            have[kinds[m.group(1)]] = s
        for kind in ("do", "dump", "event"):
            if kind in op and kind not in have:
                report(ABI, sections[-1][0] if sections else 1, "no stanza for %s (%s): %s has one"
                       % (cname, {"event": "notification"}.get(kind, kind), SPEC))
            if kind in have and kind not in op:
                report(ABI, have[kind].line, "%s: %s has no %s for it"
                       % (have[kind].title, SPEC, kind))
        for kind, s in have.items():
            if kind not in op:
                continue
            parts = [("Parameters", "request"), ("Returns", "reply")] if kind != "event" \
                else [("Attributes", None)]
            for key, part in parts:
                want = {c_name(aprefix, a) for a in op_attrs(op, kind, part)[0]}
                b = s.bullets.get(key)
                if not b:
                    report(ABI, s.line, "%s: no \"%s:\" bullet" % (s.title, key))
                    continue
                said = u.expand(t for t in vos_tokens(b[1]) if t.startswith("VOS_A_"))
                if kind == "event":
                    said |= set().union(*(e[2] for e in events.values()))
                    rows = event_rows(u, s, events, report)
                    check_event_rows(u, s, rows, events, report)
                if said != want:
                    report(ABI, b[0], "%s: %s" % (s.title, differ(
                        said, want, where(SPEC, op_attrs(op, kind, part)[1]))))
        if cname not in u.cmd_paras:
            report(HEADER, u.top.first, "the top comment does not describe %s" % cname)
        if "event" in have:
            b = have["event"].bullets.get("Attributes")
            common = set(re.findall(r"\bVOS_A_\w+", u.cmd_paras.get(cname, (0, ""))[1]))
            said = u.expand(t for t in vos_tokens(b[1]) if t.startswith("VOS_A_")) if b else set()
            if b and said != common:
                report(ABI, b[0], "attributes of every event: %s" % differ(
                    said, common, where(HEADER, u.cmd_paras.get(cname, (u.top.first,))[0])))


def event_rows(u, s, events, report):
    rows = {}
    for ln, cells in s.rows:
        if not cells or not re.match(r"^`VOS_EVENT_\w+`$", cells[0]):
            continue
        name = cells[0].strip("`")
        value = None
        if len(cells) > 1 and re.match(r"^\d+$", cells[1]):
            value = int(cells[1])
        extra = set(re.findall(r"\bVOS_A_\w+", " ".join(cells[1:])))
        rows[name] = (ln, value, extra)
    return rows


def check_event_rows(u, s, rows, events, report):
    if not rows:
        report(ABI, s.line, "%s: no table of event types (| `VOS_EVENT_X` | value | ... |)" % s.title)
        return
    for name, (ln, value, extra) in rows.items():
        if name not in events:
            report(ABI, ln, "%s is not in enum vos_event_type (%s)" % (name, HEADER))
            continue
        hval, hline, hextra = events[name]
        if value != hval:
            report(ABI, ln, "%s is %s here, %s says %d" % (name, value, where(HEADER, hline), hval))
        if extra != hextra:
            report(ABI, ln, "%s: %s" % (name, differ(extra, hextra, where(HEADER, hline))))
    first = min(ln for ln, _, _ in rows.values())
    for name, (hval, hline, _) in events.items():
        if name not in rows:
            report(ABI, first, "no row for %s (%s)" % (name, where(HEADER, hline)))


def check_fields(u, name, struct, s, hline, report):
    sname = struct.split()[1]
    _, fields, _ = u.h.structs[sname]
    byname = {f.name: f for f in fields}

    def resolve(path):
        f = None
        st = fields
        for part in path.split("."):
            f = next((x for x in st if x.name == part), None)
            if f is None:
                return None
            m = re.match(r"struct (\w+)$", f.ctype)
            st = u.h.structs[m.group(1)][1] if m and m.group(1) in u.h.structs else []
        return f

    for key in ("Parameters", "Fields"):
        b = s.bullets.get(key)
        if not b:
            continue
        for t in ticks(b[1]):
            if re.match(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$", t) and not t.startswith("vos_"):
                if resolve(t) is None:
                    report(ABI, b[0], "%s: `%s` is not a field of struct %s (%s)"
                           % (name, t, sname, where(HEADER, u.h.structs[sname][0])))
        listed = {}
        for m in re.finditer(r"\b(in|out):\s*([^;)]*)", b[1]):
            for w in m.group(2).split(","):
                w = w.strip().rstrip(".")
                if re.match(r"^[a-z_][a-z0-9_]*$", w):
                    listed[w] = m.group(1)
        for w, d in listed.items():
            f = byname.get(w)
            if f is None:
                report(ABI, b[0], "%s: %s field '%s' is not in struct %s (%s)"
                       % (name, d, w, sname, where(HEADER, u.h.structs[sname][0])))
            elif f.direction and f.direction != d:
                report(ABI, b[0], "%s: '%s' is %s here, %s says %s"
                       % (name, w, d, where(HEADER, f.line), f.direction))
        if set(listed.values()) == {"in", "out"}:
            for f in fields:
                if f.name not in listed:
                    report(ABI, b[0], "%s: field '%s' (%s) is neither in the in: nor the out: list"
                           % (name, f.name, where(HEADER, f.line)))


def check_lib(u, lib, events, libmap, report):
    # names the library's comments use exist (in vos.h or virtos.h itself)
    own = set(lib.defines) | set(lib.members())
    for ln, t in lib.comment_tokens:
        if t in own or (t.endswith(("_*", "_<")) and any(n.startswith(t[:-1]) for n in own)):
            continue
        if not u.known(t):
            report(LIBH, ln, "%s is not defined in %s or here" % (t, HEADER))
    for ln, line in enumerate(lib.lines, 1):
        for m in re.finditer(r"\benum (vos_\w+)", line):
            if m.group(1) not in u.h.enums and m.group(1) not in lib.enums:
                report(LIBH, ln, "enum %s is not in %s" % (m.group(1), HEADER))

    # "a field per VOS_A_X_* attribute"
    for sname, (sline, fields, above) in lib.structs.items():
        names = {f.name for f in fields}
        for m in re.finditer(r"a field per (VOS_A_\w+_)\* attribute", above):
            prefix = m.group(1)
            for a in u.attr_order:
                if a.startswith(prefix) and a[len(prefix):].lower() not in names:
                    report(LIBH, sline, "struct %s has no field %s for %s (%s)"
                           % (sname, a[len(prefix):].lower(), a, where(HEADER, u.attrs[a][2])))

    # struct vos_event: which types set a field
    if "vos_event" in lib.structs:
        _, fields, _ = lib.structs["vos_event"]
        carried = set().union(*(e[2] for e in events.values()))
        for f in fields:
            said = set(re.findall(r"\bVOS_EVENT_[A-Z]+\b", f.comment)) & set(events)
            if not said:
                continue
            attr = [a for a in carried if a.endswith("_" + f.name.upper())]
            if len(attr) != 1:
                report(LIBH, f.line, "vos_event.%s names event types but matches no VOS_A_* that only some events carry"
                       % f.name)
                continue
            want = {n for n, e in events.items() if attr[0] in e[2]}
            if said != want:
                report(LIBH, f.line, "vos_event.%s is set in %s here, %s carries %s in %s"
                       % (f.name, fmt_set(said), HEADER, attr[0], fmt_set(want)))

    # vos_X_name(): the quoted names are enum vos_X's
    for fname, ln, above in lib.exports:
        m = re.match(r"^(vos_\w+)_name$", fname)
        if not m or m.group(1) not in u.h.enums:
            continue
        quoted = re.findall(r'"([a-z_-]+)"', above)
        if not quoted:
            continue
        _, members = u.h.enums[m.group(1)]
        prefix = os.path.commonprefix([x.name for x in members])
        # a name may spell the member's "_" as "-" ("net-denied")
        want = [x.name[len(prefix):].lower() for x in members]
        quoted = [q.replace("-", "_") for q in quoted]
        extra = [q for q in quoted if q not in want and q != "unknown"]
        missing = [w for w in want if w not in quoted]
        if extra or missing:
            report(LIBH, ln - 1, "%s(): names %s, enum %s (%s) has %s"
                   % (fname, ", ".join(quoted), m.group(1),
                      where(HEADER, u.h.enums[m.group(1)][0]), ", ".join(want)))

    # exports: virtos.h against libvirtos.map
    mapped = {}
    for ln, line in enumerate(libmap.split("\n"), 1):
        m = re.match(r"^\s*(vos_\w+)\s*;", line)
        if m:
            mapped[m.group(1)] = ln
    declared = {n: ln for n, ln, _ in lib.exports}
    for n, ln in declared.items():
        if n not in mapped:
            report(LIBMAP, 1, "%s (%s) is not exported" % (n, where(LIBH, ln)))
    for n, ln in mapped.items():
        if n not in declared:
            report(LIBMAP, ln, "%s is exported but %s does not declare it VOS_EXPORT" % (n, LIBH))


def main(argv):
    args = argv[1:]
    if args[:1] == ["--dump-yaml"] and len(args) == 2:
        with open(args[1], encoding="utf-8") as f:
            json.dump(plain(Yaml(args[1], f.read()).parse()), sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return 0
    root = None
    if args[:1] == ["--root"] and len(args) == 2:
        root = args[1]
    elif args:
        sys.stderr.write("usage: contract.sh [--root DIR] | --dump-yaml FILE\n")
        return 2
    if root is None:
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    report = Report()
    try:
        check(root, report)
    except Mismatch as e:
        report(e.path, e.line, str(e))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        # a key the checks need is missing from the spec, or malformed
        report(SPEC, 1, "cannot read the spec as YNL: %s: %s" % (type(e).__name__, e))
    report.emit(sys.stdout)
    return 1 if report.items else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
