"""Draw the program icon: a blue rounded square with the character 补 (subsidy).

    .venv/bin/python packaging/make_icon.py

Writes resources/icons/subsidydesk.png (256 px) and resources/icons/subsidydesk.ico
(16-256 px, for the Windows exe and shortcuts). Both files are committed; run this again only
to change the design. Needs Pillow and a CJK font (WenQuanYi Micro Hei on Debian/Ubuntu:
fonts-wqy-microhei; on Windows pass --font C:/Windows/Fonts/msyh.ttc).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
BLUE = (30, 100, 200, 255)
SIZE = 256


def draw(font_path: str) -> Image.Image:
    scale = 4  # draw large and shrink, for smooth edges
    big = SIZE * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    margin = 8 * scale
    d.rounded_rectangle((margin, margin, big - margin, big - margin), radius=44 * scale, fill=BLUE)
    font = ImageFont.truetype(font_path, 176 * scale)
    d.text((big / 2, big / 2), "补", font=font, fill="white", anchor="mm")
    return img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", default=DEFAULT_FONT, help="a font file with the character 补")
    args = parser.parse_args()
    ICONS.mkdir(parents=True, exist_ok=True)
    img = draw(args.font)
    img.save(ICONS / "subsidydesk.png")
    img.save(
        ICONS / "subsidydesk.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    print(f"已写出 {ICONS / 'subsidydesk.png'} 和 {ICONS / 'subsidydesk.ico'}")


if __name__ == "__main__":
    main()
