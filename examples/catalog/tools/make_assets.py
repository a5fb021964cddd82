#!/usr/bin/env python3
"""Generates catalog's assets: poster and avatar PNGs and assets/catalog.json.

The output is deterministic (fixed seeds, no timestamps) and committed, so
building the example needs no Python; rerun this only to change the data.
"""
import json
import os
import random
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = os.path.join(HERE, "..", "assets")


def write_png(path, width, height, pixel, alpha=False):
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def poster(path, seed):
    rnd = random.Random(seed)
    top = (rnd.randrange(40, 220), rnd.randrange(40, 220), rnd.randrange(40, 220))
    bottom = (rnd.randrange(0, 80), rnd.randrange(0, 80), rnd.randrange(0, 80))
    accent = (rnd.randrange(150, 256), rnd.randrange(150, 256), rnd.randrange(150, 256))
    cx, cy, r = rnd.randrange(60, 180), rnd.randrange(30, 100), rnd.randrange(18, 40)

    def pixel(x, y):
        if (x - cx) ** 2 + (y - cy) ** 2 < r * r:
            return accent
        if abs((x + y * 2) % 48 - 24) < 2:
            return mix(top, accent, 0.3)
        return mix(top, bottom, y / 134)

    write_png(path, 240, 135, pixel)


def avatar(path, color):
    # A disc on a transparent square: images are drawn unclipped.
    def pixel(x, y):
        d = ((x + 0.5 - 80) ** 2 + (y + 0.5 - 80) ** 2) ** 0.5
        if d < 36 and y < 90:
            return (250, 250, 250, 255)
        coverage = max(0.0, min(1.0, 79.5 - d))
        return color + (int(255 * coverage),)

    write_png(path, 160, 160, pixel, alpha=True)


WORDS = ["Midnight", "Harbor", "Echo", "Summit", "Neon", "Velvet", "Iron", "Paper", "Silver", "Wild",
         "Quiet", "Northern", "Lost", "Golden", "Hidden", "Broken", "Crimson", "Distant", "Electric", "Frozen"]
NOUNS = ["Signal", "Garden", "Circuit", "Tide", "Horizon", "Kingdom", "Runner", "Letters", "Orbit", "Valley",
         "Engine", "Parade", "Archive", "Lantern", "Frontier", "Mirror", "Harvest", "Voyage", "Cipher", "Canyon"]
RAILS = ["Continue watching", "Trending now", "New releases", "Documentaries", "Comedies", "Award winners"]
PROFILES = [("Alex", (214, 69, 65), False), ("Sam", (46, 134, 193), False),
            ("Jordan", (39, 174, 96), False), ("Kids", (243, 156, 18), True)]


def main():
    os.makedirs(os.path.join(ASSETS, "posters"), exist_ok=True)
    os.makedirs(os.path.join(ASSETS, "avatars"), exist_ok=True)
    for i in range(24):
        poster(os.path.join(ASSETS, "posters", "p%02d.png" % i), 1000 + i)
    profiles = []
    for i, (name, color, kids) in enumerate(PROFILES):
        avatar(os.path.join(ASSETS, "avatars", "a%d.png" % i), color)
        profiles.append({"name": name, "avatar": "avatars/a%d.png" % i, "kids": kids})
    rnd = random.Random(7)
    rails = []
    for r, title in enumerate(RAILS):
        tiles = []
        for t in range(20):
            n = r * 20 + t
            tiles.append({
                "id": "t%03d" % n,
                "title": "%s %s" % (WORDS[(n * 7) % 20], NOUNS[(n * 3 + r) % 20]),
                "image": "posters/p%02d.png" % ((n * 5) % 24),
                "year": 1995 + (n * 11) % 30,
                "rating": round(5.5 + rnd.random() * 4, 1),
                "minutes": 80 + (n * 13) % 70,
            })
        rails.append({"title": title, "tiles": tiles})
    with open(os.path.join(ASSETS, "catalog.json"), "w") as f:
        json.dump({"profiles": profiles, "rails": rails}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
