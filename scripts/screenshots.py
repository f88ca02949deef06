#!/usr/bin/env python3
"""Regenerate screenshots/*.svg from the demo shop on a fixed day (and PNGs to look at, if
cairosvg is installed). Run: .venv/bin/python scripts/screenshots.py"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shopkeeper.app import make_app  # noqa: E402
from shopkeeper.demo import build_demo  # noqa: E402
from shopkeeper.services import Shop  # noqa: E402
from tests.functional.scenes import DEMO_SCENES, SCENE_DAYS_BEFORE, SCENES  # noqa: E402

DAY = date(2026, 11, 25)
SIZES = {"": (80, 24), "-wide": (120, 40)}


async def shoot(shop: Shop, name: str, size: tuple[int, int], out: Path) -> Path:
    today = DAY - timedelta(days=SCENE_DAYS_BEFORE.get(name, 0))
    app = make_app(shop, today=today, demo=name in DEMO_SCENES)
    async with app.run_test(size=size) as pilot:
        await SCENES[name](pilot)
        path = out / f"{name}{'' if size == (80, 24) else '-wide'}.svg"
        app.save_screenshot(str(path))
    return path


async def shoot_welcome(out: Path) -> Path:
    """The first run's welcome, on a brand-new shop in a home folder of its own (shown as ~/…)."""
    import os

    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home
        path = Path(home) / ".local" / "share" / "shopkeeper" / "shop.sqlite3"
        path.parent.mkdir(parents=True)
        shop = Shop.open(path)
        app = make_app(shop, today=DAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            app.save_screenshot(str(out / "welcome.svg"))
        shop.close()
    return out / "welcome.svg"


async def main() -> None:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["HOME"] = tmp  # help and settings show the file as ~/demo.sqlite3
        os.environ.pop("XDG_DATA_HOME", None)
        shop = Shop.open(Path(tmp) / "demo.sqlite3")
        build_demo(shop, DAY)
        for name in SCENES:
            for size in SIZES.values():
                path = await shoot(shop, name, size, out)
                try:
                    import cairosvg

                    cairosvg.svg2png(url=str(path), write_to=str(path.with_suffix(".png")))
                except ImportError:
                    pass
                print(path.relative_to(ROOT))
        shop.close()
    print((await shoot_welcome(out)).relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main())
