#!/usr/bin/env python3
"""Renders the 26 capital letters of DejaVu Sans Mono Bold into 16x16 bipolar grids.

This is how Data/patterns/letters.txt was made (the file is committed; the demo does not run
this script). Needs Pillow and the Debian package fonts-dejavu-core. DejaVu fonts are free
(Bitstream Vera / DejaVu licence).

    python3 scripts/make-letter-patterns.py > Data/patterns/letters.txt
"""
import string
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 16


def glyph(ch, font):
    img = Image.new("L", (SIZE * 4, SIZE * 4), 0)
    ImageDraw.Draw(img).text((SIZE, SIZE // 2), ch, fill=255, font=font)
    box = img.getbbox()
    crop = img.crop(box)
    # Fit the glyph into SIZE-2 pixels high, keep the aspect ratio, centre it.
    scale = (SIZE - 2) / max(crop.width, crop.height)
    w, h = max(1, round(crop.width * scale)), max(1, round(crop.height * scale))
    crop = crop.resize((w, h), Image.LANCZOS)
    out = Image.new("L", (SIZE, SIZE), 0)
    out.paste(crop, ((SIZE - w) // 2, (SIZE - h) // 2))
    return ["".join("#" if out.getpixel((x, y)) >= 128 else "." for x in range(SIZE)) for y in range(SIZE)]


def main():
    font = ImageFont.truetype(FONT, SIZE * 2)
    grids = ["\n".join(glyph(ch, font)) for ch in string.ascii_uppercase]
    sys.stdout.write("\n\n".join(grids) + "\n")


if __name__ == "__main__":
    main()
