"""The fonts a theme asks for, and the ones this machine gives it.

A theme's stylesheets name font stacks (`"Noto Sans", "DejaVu Sans", sans-serif`). WeasyPrint
lays the PDF out with the first family of a stack that is installed; when the theme's first
choice is missing, the PDF silently changes (other metrics, other page breaks). So:
- `theme_stacks` reads the stacks from the stylesheets (`font-family`, the `font` shorthand,
  and custom properties such as `--sans` that hold a stack);
- `resolve` asks fontconfig (the library Pango uses) which family and file each stack gets;
- the resolution is an input of every PDF target (`make.scan` keeps it as the virtual input
  `FONTS_KEY`), so installing or removing a font the theme uses makes the PDFs stale;
- `fallbacks` lists the stacks whose first choice is missing, for one note per build and for
  `reportgen doctor`, with the Debian package that provides it.

Standard library only: the build's scan imports this, and calls fontconfig (through ctypes,
imported then) only when the font folders or the stylesheets changed since the last build.
"""

from __future__ import annotations

import functools
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

FONTS_KEY = "fonts:theme"
"""The build input standing for the fonts the theme resolves to."""
STYLESHEETS = ("style.css", "print.css")
"""The stylesheets the PDF is laid out with (screen.css is for browsers only)."""
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts",
                "$XDG_DATA_HOME/fonts", "~/.local/share/fonts", "/etc/fonts")
"""Where fontconfig finds fonts and its configuration on Debian and most Linux systems."""
GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math",
           "emoji", "fangsong", "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded"}
DEBIAN_PACKAGES = {
    "Noto Sans": "fonts-noto-core", "Noto Serif": "fonts-noto-core",
    "Noto Sans Arabic": "fonts-noto-core", "Noto Naskh Arabic": "fonts-noto-core",
    "Noto Sans Mono": "fonts-noto-mono", "DejaVu Sans": "fonts-dejavu-core",
    "DejaVu Serif": "fonts-dejavu-core", "DejaVu Sans Mono": "fonts-dejavu-core",
}

_DECLARATION = re.compile(r"(?<![\w-])(?P<property>font-family|font|--[\w-]++)\s*+:\s*+(?P<value>[^;{}]++)")
"""A font or custom property's declaration; it begins only where a name can, and its
quantifiers are possessive, so a run of dashes in a broken stylesheet is read once, not from
each of its characters to its end."""
_VARIABLE = re.compile(r"var\(\s*(--[\w-]+)\s*\)")
_SIZE = re.compile(r"^[\d.]+(?:px|pt|pc|mm|cm|in|em|rem|ex|ch|%|q|vw|vh)(?:/\S+)?$|^(?:xx?-)?(?:small|"
                   r"large)(?:/\S+)?$|^medium(?:/\S+)?$|^[\d.]+/\S+$", re.I)
"""The size in a `font` shorthand (`9pt/1.3`, `large`): a unit or a line height sets it apart
from a unitless weight such as 700."""
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
"""A CSS comment; one never closed runs to the end, as CSS reads it (and is read once, not from
each `/*` in it to the end)."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """What one stack gets here: the family fontconfig matched and its file."""

    wanted: str
    family: str
    file: str

    @property
    def fallback(self) -> bool:
        return self.family.casefold() != self.wanted.casefold()

    @property
    def package(self) -> str:
        return DEBIAN_PACKAGES.get(self.wanted, "")


def theme_stacks(css_texts: list[str]) -> list[tuple[str, ...]]:
    """Every font stack the stylesheets use, in order of first use, without generic families."""
    stacks: list[tuple[str, ...]] = []
    variables: dict[str, str] = {}
    for css in css_texts:
        for found in _DECLARATION.finditer(_COMMENT.sub("", css)):
            prop, value = found["property"], found["value"].strip()
            if prop.startswith("--"):
                variables[prop] = value
                continue
            value = _VARIABLE.sub(lambda m: variables.get(m.group(1), ""), value)
            stack = _families(value if prop == "font-family" else _shorthand_families(value))
            if stack and stack not in stacks:
                stacks.append(stack)
    return stacks


def _shorthand_families(value: str) -> str:
    """The family list of a `font` shorthand: what follows the size (`600 9pt/1.3 "Noto Sans"`)."""
    tokens = value.split()
    for index, token in enumerate(tokens):
        if _SIZE.match(token):
            return " ".join(tokens[index + 1:])
    return ""


def _families(value: str) -> tuple[str, ...]:
    names = (part.strip().strip("\"'").strip() for part in value.split(","))
    return tuple(name for name in names if name and name.lower() not in GENERIC
                 and "(" not in name and "{" not in name)


def theme_css(template_dirs: list[Path]) -> list[str]:
    """The PDF's stylesheets as the renderer finds them: the project's override first."""
    texts = []
    for name in STYLESHEETS:
        for folder in template_dirs:
            path = folder / name
            if path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
                break
    return texts


def resolve(stacks: list[tuple[str, ...]]) -> list[Resolved]:
    """For each stack, the first family installed here (else fontconfig's choice for the
    first), keyed by the stack's first choice."""
    lib = _fontconfig()
    if lib is not None:
        lib.FcInitBringUptoDate()  # fonts installed since this process first asked
    resolved = []
    for stack in stacks:
        matches = [(name, _match(name)) for name in stack]
        chosen = next(((name, found) for name, found in matches
                       if found and found[0].casefold() == name.casefold()), None)
        family, file = chosen[1] if chosen else (matches[0][1] or ("?", ""))
        resolved.append(Resolved(stack[0], family, file))
    return resolved


def fallbacks(resolved: list[Resolved]) -> list[Resolved]:
    return [item for item in resolved if item.fallback]


def describe(item: Resolved) -> str:
    """One line for a stack whose first choice is missing."""
    install = f"apt-get install {item.package}" if item.package else "install a font that provides it"
    return (f"the theme asks for the font '{item.wanted}', which is not installed: the PDF uses "
            f"'{item.family}' instead ({install})")


def folders_fingerprint(extra: list[Path] = ()) -> tuple[int, int]:
    """(number of files, checksum of their paths, sizes and mtimes) over the font folders and
    `extra` files: cheap enough for every build, and it moves whenever a font is installed,
    removed or upgraded, or fontconfig's configuration changes."""
    entries: list[str] = []
    for folder in FONT_FOLDERS:
        _list(Path(os.path.expandvars(os.path.expanduser(folder))), entries)
    for path in extra:
        try:
            info = path.stat()
        except OSError:
            continue
        entries.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    entries.sort()
    return len(entries), zlib.crc32("\n".join(entries).encode("utf-8", "surrogateescape"))


def _list(folder: Path, entries: list[str]) -> None:
    if "$" in str(folder):
        return  # an unset variable
    try:
        scanned = list(os.scandir(folder))
    except OSError:
        return
    for entry in scanned:
        try:
            if entry.is_dir():
                _list(Path(entry.path), entries)
            else:
                info = entry.stat()
                entries.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")
        except OSError:
            continue


@functools.cache
def _fontconfig():
    import ctypes.util  # here: it imports shutil and tempfile, which a no-op build never needs

    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.FcInit.restype = lib.FcInitBringUptoDate.restype = ctypes.c_int
    lib.FcNameParse.restype = ctypes.c_void_p
    lib.FcNameParse.argtypes = [ctypes.c_char_p]
    lib.FcConfigSubstitute.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    lib.FcDefaultSubstitute.argtypes = [ctypes.c_void_p]
    lib.FcFontMatch.restype = ctypes.c_void_p
    lib.FcFontMatch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    lib.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_char_p)]
    lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    return lib if lib.FcInit() else None


def _match(family: str) -> tuple[str, str] | None:
    """The (family, file) fontconfig gives a request for `family`; None without fontconfig."""
    import ctypes

    lib = _fontconfig()
    if lib is None:
        return None
    pattern = lib.FcNameParse(family.replace("-", r"\-").replace(":", r"\:").encode("utf-8"))
    if not pattern:
        return None
    try:
        lib.FcConfigSubstitute(None, pattern, 0)  # FcMatchPattern
        lib.FcDefaultSubstitute(pattern)
        result = ctypes.c_int()
        match = lib.FcFontMatch(None, pattern, ctypes.byref(result))
        if not match:
            return None
        try:
            return _string(lib, match, b"family"), _string(lib, match, b"file")
        finally:
            lib.FcPatternDestroy(match)
    finally:
        lib.FcPatternDestroy(pattern)


def _string(lib, pattern, key: bytes) -> str:
    import ctypes

    value = ctypes.c_char_p()
    if lib.FcPatternGetString(pattern, key, 0, ctypes.byref(value)) != 0 or not value.value:
        return ""
    return value.value.decode("utf-8", "replace")
