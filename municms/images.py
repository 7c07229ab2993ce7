"""Images the build makes with Pillow: responsive renditions of news photos, a share card per section and the
site icons. Every function returns the same bytes for the same input (builds are compared byte for byte), so the
cards and icons, drawn again by every full build, are kept per input for the process (a few dozen small PNGs)."""

from __future__ import annotations

import hashlib
import io
import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

PHOTO_WIDTHS = (480, 960, 1440)   # CSS-pixel widths a phone, a tablet and a wide screen ask for
PHOTO_FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}),
                 "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True})}
# bumped when the encoding changes, so cached renditions of an older encoder are not reused
RENDITION_VERSION = "1"
SHARE_SIZE = (1200, 630)
BRAND = (0x8A, 0x1C, 0x1C)
BRAND_DARK = (0x5E, 0x10, 0x10)
WHITE = (255, 255, 255)
FONTS = Path(__file__).parent / "seminars" / "fonts"


def photo_widths(width: int) -> list[int]:
    """The rendition widths of a photo `width` pixels wide: the standard ones below it, then its own width
    (up to the largest standard one). Never wider than the original."""
    return sorted({w for w in PHOTO_WIDTHS if w < width} | {min(width, PHOTO_WIDTHS[-1])})


def photo_size(path: Path) -> tuple[int, int]:
    """(width, height) as the photo is shown (EXIF orientation applied); reads only the header."""
    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def rendition_height(size: tuple[int, int], width: int) -> int:
    return max(1, round(size[1] * width / size[0]))


def _upright_rgb(data: bytes) -> Image.Image:
    """The photo decoded once, orientation applied, transparent parts on white (as on the page), as RGB."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, WHITE)
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        return image.convert("RGB")


def render_photos(data: bytes, wanted: list[tuple[int, str]]) -> dict[tuple[int, str], bytes]:
    """Renditions (width, extension) of one photo, decoded once: resized to the width (never up), every
    metadata block left out (no exif=, icc_profile= or xmp= is passed: nothing of the original is carried)."""
    image = _upright_rgb(data)
    done: dict[tuple[int, str], bytes] = {}
    for width in sorted({w for w, _ in wanted}, reverse=True):
        sized = image if width >= image.width else image.resize((width, rendition_height(image.size, width)),
                                                                Image.Resampling.LANCZOS)
        for extension in sorted({e for w, e in wanted if w == width}):
            fmt, options = PHOTO_FORMATS[extension]
            out = io.BytesIO()
            sized.save(out, fmt, **options)
            done[(width, extension)] = out.getvalue()
    return done


def render_photo(data: bytes, width: int, extension: str) -> bytes:
    """One rendition (render_photos for one)."""
    return render_photos(data, [(width, extension)])[(width, extension)]


class RenditionCache:
    """Renditions kept under var/ by the digest of the photo's bytes: a publish re-encodes only new photos."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.encoded = 0  # renditions encoded (not found in the cache) by this object

    def _path(self, digest: str, width: int, extension: str) -> Path:
        return self.folder / f"{digest}-{RENDITION_VERSION}-{width}.{extension}"

    def get_all(self, source: Path, wanted: list[tuple[int, str]]) -> dict[tuple[int, str], bytes]:
        """The renditions of a photo file, from the cache or encoded (the photo decoded once for all)."""
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        found: dict[tuple[int, str], bytes] = {}
        for key in wanted:
            try:
                found[key] = self._path(digest, *key).read_bytes()
            except OSError:
                pass
        missing = [key for key in wanted if key not in found]
        if missing:
            made = render_photos(data, missing)
            self.encoded += len(made)
            for key, rendered in made.items():
                self._store(self._path(digest, *key), rendered)
            found.update(made)
        return found

    def get(self, source: Path, width: int, extension: str) -> bytes:
        return self.get_all(source, [(width, extension)])[(width, extension)]

    @staticmethod
    def _store(cached: Path, rendered: bytes) -> None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temp = cached.with_name(f".{cached.name}.{os.getpid()}")
            temp.write_bytes(rendered)
            os.replace(temp, cached)
        except OSError:
            pass  # a cache that cannot be written costs time, never the build


# -- the mark, the share card and the icons ---------------------------------------------------------

_HOUSE = [(18, 44), (18, 26), (32, 18), (46, 26), (46, 44), (36, 44), (36, 33), (28, 33), (28, 44)]


def _draw_mark(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, circle, house) -> None:
    """The logo (theme/img/logo.svg: a circle with a house, on a 64-unit grid) at (x, y), `size` wide."""
    scale = size / 64
    draw.ellipse([x + 2 * scale, y + 2 * scale, x + 62 * scale, y + 62 * scale], fill=circle)
    draw.polygon([(x + px * scale, y + py * scale) for px, py in _HOUSE], fill=house)


def mark(size: int, background=None) -> Image.Image:
    """The mark as an RGBA image, drawn four times larger and reduced (smooth edges, same pixels every time)."""
    big = Image.new("RGBA", (size * 4, size * 4), background or (0, 0, 0, 0))
    _draw_mark(ImageDraw.Draw(big), 0, 0, size * 4, BRAND + (255,), WHITE + (255,))
    return big.resize((size, size), Image.Resampling.LANCZOS)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Words on at most `lines` lines of `width` pixels; the last one ends with '…' if text is left over."""
    words, rows = text.split(), []
    while words and len(rows) < lines:
        row = words.pop(0)
        while words and font.getlength(row + " " + words[0]) <= width:
            row += " " + words.pop(0)
        rows.append(row)
    if words and rows:
        last = rows[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        rows[-1] = last.rstrip() + "…"
    return rows


@lru_cache(maxsize=64)
def share_card(site_name: str, title: str, host: str) -> bytes:
    """A 1200×630 PNG for link previews: the mark, the municipality's name and the section's title."""
    width, height = SHARE_SIZE
    image = Image.new("RGB", SHARE_SIZE, BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height - 90, width, height], fill=BRAND_DARK)
    image.paste(mark(150, WHITE + (255,)).convert("RGB"), (80, 80))  # the mark on a white square
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 64)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 54)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 32)
    y = 270
    for row in _wrap(site_name, bold, width - 160, 2):
        draw.text((80, y), row, font=bold, fill=WHITE)
        y += 80
    for row in _wrap(title, regular, width - 160, 2):
        draw.text((80, y + 10), row, font=regular, fill=WHITE)
        y += 68
    draw.text((80, height - 66), host, font=small, fill=WHITE)
    return _png(image)


@lru_cache(maxsize=32)
def icon_png(size: int, padding: float = 0.0) -> bytes:
    """The mark as a square PNG icon; `padding` (a share of the side) on the brand colour for maskable and
    Apple icons, which platforms crop to their own shape."""
    if not padding:
        return _png(mark(size))
    image = Image.new("RGBA", (size, size), BRAND + (255,))
    inner = round(size * (1 - 2 * padding))
    image.alpha_composite(mark(inner), (round(size * padding), round(size * padding)))
    return _png(image.convert("RGB"))


@lru_cache(maxsize=4)
def favicon_ico(sizes: tuple[int, ...] = (16, 32, 48)) -> bytes:
    """favicon.ico holding one PNG image per size (every browser since 2010 reads PNG entries)."""
    images = [icon_png(size) for size in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, png in zip(sizes, images):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


@dataclass(frozen=True)
class SiteIcon:
    path: str
    size: int
    padding: float = 0.0
    purpose: str = "any"


SITE_ICONS = (SiteIcon("apple-touch-icon.png", 180, 0.12), SiteIcon("icon-192.png", 192),
              SiteIcon("icon-512.png", 512), SiteIcon("icon-maskable-512.png", 512, 0.2, "maskable"))
