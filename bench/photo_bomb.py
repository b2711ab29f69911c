"""Image bombs: what one worker pays for photos that claim many pixels.

    .venv/bin/python bench/photo_bomb.py [--root PATH] [--threads 4] [--largest]

The bomb is a PNG of about 170 KB that claims 6316 × 6316 RGBA pixels (160 MB
decoded). Each case runs in a fresh Python process that creates the app from
--root (a checkout; default this one) on a temporary instance folder and posts
through Flask's test client, as one gunicorn gthread worker would: 1 and
`--threads` posts at once, each thread with its own client. Printed per case:
the process's peak RSS (`ru_maxrss`) before and after the posts, the slowest
post's time and the answers' status codes.

- bomb+invalid: the bomb with a form that is refused anyway (no kind of place);
- bomb+valid: the bomb with a valid form;
- zero png 25 MP: the review's file (below), with a valid form.

`--only NAME` (repeatable) runs only the cases named.

With --largest, also the largest photo app/reports/photos.py accepts in each
format, with transparency where the format has it (the worst case for memory):
what the bound in its docstring is measured with.

With --gunicorn, the posts go instead over loopback to gunicorn started from
--root as the README runs it (scripts/gunicorn.conf.py), with one worker of
`--threads` threads, and the worker's peak RSS (VmHWM) is read from /proc.

    .venv/bin/python bench/photo_bomb.py --decode [--runs 3] [--root PATH]

With --decode, one decode (app/reports/photos.py `clean`, as the report form
calls it) of each flat photo below, each in a fresh Python process: its peak
RSS before and after and the CPU seconds (user + system) of the decode, and
whether it was kept or refused with which message. `--runs` times, each run
with the 1-minute load average beside it (issue 28, item 11):

- zero png 25 MP: the review's file, a zero-filled 5000 × 5000 RGBA PNG of 97 KB;
- zero png 16 MP, zero png 12 MP: the same at 4000 × 4000 and 4000 × 3000;
- zero webp 25 MP, zero webp 12 MP: the same pixels as lossless WebP (under 1 KB);
- screenshot png: an iPhone screenshot's size (1290 × 2796) with detail in it;
- phone jpeg 12 MP: a 4032 × 3024 JPEG with detail, the size most phones take.

The per-client report limit is off (every post here comes from one address).
"""

import argparse
import http.client
import io
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALID = {"space": "restroom", "what": "found"}


def photo(fmt: str, size: tuple[int, int], mode: str = "RGBA") -> bytes:
    """One colour with a little noise in a corner, so that encoders cannot skip it all."""
    from PIL import Image

    image = Image.new(mode, size, (200, 30, 30, 255)[: len(mode)])
    image.paste(Image.effect_noise((64, 64), 40).convert(mode), (0, 0))
    out = io.BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image.save(out, fmt, **({"compress_level": 9} if fmt == "PNG" else {}))
    return out.getvalue()


def zero_photo(fmt: str, size: tuple[int, int]) -> bytes:
    """Every pixel zero (transparent black): the smallest file that claims `size`."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size).save(out, fmt, **(
        {"compress_level": 9} if fmt == "PNG" else {"lossless": True, "quality": 100}))
    return out.getvalue()


def noisy_jpeg(size: tuple[int, int]) -> bytes:
    """A phone-sized JPEG whose every block holds detail, as a camera's does."""
    from PIL import Image

    tile = Image.effect_noise((256, 256), 60).convert("RGB")
    image = Image.new("RGB", size)
    for x in range(0, size[0], 256):
        for y in range(0, size[1], 256):
            image.paste(tile, (x, y))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def screenshot(size: tuple[int, int]) -> bytes:
    """A PNG the size of a phone's screen, with text-like detail in bands."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for y in range(0, size[1], 40):
        draw.text((20, y), f"message {y} " * 12, fill=(20, 20, 20))
    image.paste(Image.effect_noise((size[0], 600), 50).convert("RGB"), (0, 400))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


DECODES: dict[str, tuple[str, callable]] = {
    "zero png 25 MP": ("zero.png", lambda: zero_photo("PNG", (5000, 5000))),
    "zero png 16 MP": ("zero.png", lambda: zero_photo("PNG", (4000, 4000))),
    "zero png 12 MP": ("zero.png", lambda: zero_photo("PNG", (4000, 3000))),
    "zero webp 25 MP": ("zero.webp", lambda: zero_photo("WEBP", (5000, 5000))),
    "zero webp 12 MP": ("zero.webp", lambda: zero_photo("WEBP", (4000, 3000))),
    "screenshot png": ("screen.png", lambda: screenshot((1290, 2796))),
    "phone jpeg 12 MP": ("phone.jpg", lambda: noisy_jpeg((4032, 3024))),
}


def decode_once(path: Path, name: str) -> dict:
    """In this process: one `clean` of the file, with its peak RSS and CPU seconds."""
    from app.reports import photos  # from --root: main() puts it first on PYTHONPATH

    data = path.read_bytes()
    baseline = peak_mb()
    before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        kept = photos.clean(data, name)
        outcome = f"kept {kept.width}x{kept.height}"
    except photos.PhotoError as error:
        outcome = f"refused ({str(error.message)[:40]}…)"
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"code": str(Path(photos.__file__).parent.parent), "bytes": len(data),
            "baseline_mb": round(baseline), "peak_mb": round(peak_mb()),
            "cpu_s": round(cpu, 2), "outcome": outcome}


def run_decodes(root: str, runs: int) -> None:
    for run in range(1, runs + 1):
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"run {run} (load {load})")
        for label, (name, _make) in DECODES.items():
            with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as file:
                subprocess.run([sys.executable, __file__, "--make-decode", label,
                                "--file", file.name], check=True)
                out = subprocess.run(
                    [sys.executable, __file__, "--decode-one", "--file", file.name,
                     "--name", name], capture_output=True, text=True, check=True,
                    cwd=root, env={**os.environ, "PYTHONPATH": root})
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"  {label:17} {result['bytes'] / 1024:>7.1f} KB: peak RSS "
                      f"{result['baseline_mb']} -> {result['peak_mb']} MB, "
                      f"{result['cpu_s']} CPU s, {result['outcome']} ({result['code']})")


def cases(largest: bool) -> dict[str, tuple[str, dict, callable]]:
    bomb = ("bomb.png", lambda: photo("PNG", (6316, 6316)))
    found = {"bomb+invalid": (*bomb, {"what": "found"}), "bomb+valid": (*bomb, VALID),
             # The review's file (issue 28, item 11): 97 KB, every pixel zero.
             "zero png 25 MP": ("zero.png", lambda: zero_photo("PNG", (5000, 5000)), VALID)}
    if largest:
        found |= {
            "png 12 MP": ("big.png", lambda: photo("PNG", (4000, 3000)), VALID),
            "webp 12 MP": ("big.webp", lambda: photo("WEBP", (4000, 3000)), VALID),
            "heic 25 MP": ("big.heic", lambda: photo("HEIF", (5000, 5000)), VALID),
            # Just under twice MAX_SIDE: the largest JPEG decoded at full size.
            "jpeg 5119²": ("big.jpg", lambda: photo("JPEG", (5119, 5119), "RGB"), VALID),
            "jpeg 40 MP": ("big.jpg", lambda: photo("JPEG", (7300, 5475), "RGB"), VALID),
        }
    return found


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_case(root: str, fields: dict, threads: int, path: Path, name: str) -> dict:
    """In this process: create the app from `root` and post the photo `threads` times at once."""
    from app import create_app  # from `root`: main() puts it first on PYTHONPATH

    data = path.read_bytes()  # made by the parent: making it here would raise the baseline
    app = create_app({"TESTING": True, "REPORTS_PER_CLIENT_PER_HOUR": 0,
                      "SETUP_LINK_ON_START": False})
    app.test_client().get("/en/report")  # warms templates and catalogs before the baseline
    baseline = peak_mb()
    results, lock = [], threading.Lock()

    def post() -> None:
        own = app.test_client()
        key = re.search(r'name="idempotency_key" value="([^"]+)"',
                        own.get("/en/report").get_data(as_text=True))[1]
        started = time.perf_counter()
        response = own.post("/en/report", content_type="multipart/form-data", data={
            "idempotency_key": key, **fields, "photo": (io.BytesIO(data), name)})
        with lock:
            results.append((time.perf_counter() - started, response.status_code))

    workers = [threading.Thread(target=post) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    import app as package

    return {"code": str(Path(package.__file__).parent), "bytes": len(data),
            "baseline_mb": round(baseline), "peak_mb": round(peak_mb()),
            "slowest_s": round(max(t for t, _ in results), 2),
            "statuses": sorted(s for _, s in results)}


def worker_peak_mb(master: int) -> float:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    [worker] = children  # one worker
    status = Path(f"/proc/{worker}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def post_over_http(port: int, fields: dict, data: bytes, name: str) -> tuple[float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/en/report")
    key = re.search(rb'name="idempotency_key" value="([^"]+)"', conn.getresponse().read())[1]
    boundary = secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in {"idempotency_key": key.decode(), **fields}.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
                 f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + f"\r\n--{boundary}--\r\n".encode())
    started = time.perf_counter()
    conn.request("POST", "/en/report", b"".join(parts), {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Sec-Fetch-Site": "same-origin"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return time.perf_counter() - started, response.status


def run_gunicorn(root: str, fields: dict, threads: int, path: Path, name: str) -> dict:
    """Post the photo `threads` times at once to a one-worker gunicorn started from `root`."""
    data = path.read_bytes()
    with tempfile.TemporaryDirectory(prefix="spotcheck-bomb-") as tmp:
        port = 8790 + secrets.randbelow(100)
        env = {**os.environ, "SPOTCHECK_INSTANCE_PATH": tmp, "SPOTCHECK_WORKERS": "1",
               "SPOTCHECK_THREADS": str(threads), "SPOTCHECK_BIND": f"127.0.0.1:{port}",
               "SPOTCHECK_REPORTS_PER_CLIENT_PER_HOUR": "0"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                                   "scripts/gunicorn.conf.py", "--access-logfile", "/dev/null"],
                                  cwd=root, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(150):
                try:
                    post_over_http(port, {}, b"", "warm.jpg")  # also warms the worker
                    break
                except OSError:
                    time.sleep(0.2)
            baseline = worker_peak_mb(server.pid)
            results, lock = [], threading.Lock()

            def post() -> None:
                result = post_over_http(port, fields, data, name)
                with lock:
                    results.append(result)

            workers = [threading.Thread(target=post) for _ in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            peak = worker_peak_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"code": f"gunicorn in {root}", "bytes": len(data), "baseline_mb": round(baseline),
            "peak_mb": round(peak), "slowest_s": round(max(t for t, _ in results), 2),
            "statuses": sorted(s for _, s in results)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--largest", action="store_true")
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--decode", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", help="run only this case (repeatable)")
    # Internal: make one case's file, or post it, each in a process of its own; Linux
    # counts the parent's peak in a child's ru_maxrss, so the parent makes nothing big.
    parser.add_argument("--make")
    parser.add_argument("--make-decode")
    parser.add_argument("--decode-one", action="store_true")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--name")
    parser.add_argument("--fields")
    args = parser.parse_args()
    if args.make:
        args.file.write_bytes(cases(True)[args.make][1]())
        return 0
    if args.make_decode:
        args.file.write_bytes(DECODES[args.make_decode][1]())
        return 0
    if args.decode_one:
        print(json.dumps(decode_once(args.file, args.name)))
        return 0
    if args.decode:
        run_decodes(args.root, args.runs)
        return 0
    if args.file:
        with tempfile.TemporaryDirectory(prefix="spotcheck-bomb-") as tmp:
            os.environ["SPOTCHECK_INSTANCE_PATH"] = tmp
            print(json.dumps(run_case(args.root, json.loads(args.fields), args.threads,
                                      args.file, args.name)))
        return 0
    for label, (name, _, fields) in cases(args.largest).items():
        if args.only and label not in args.only:
            continue
        with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as file:
            subprocess.run([sys.executable, __file__, "--make", label, "--file", file.name],
                           check=True)
            for threads in sorted({1, args.threads}):
                if args.gunicorn:
                    result = run_gunicorn(args.root, fields, threads, Path(file.name), name)
                    print(f"{label:12} x{threads}: worker peak RSS {result['baseline_mb']} -> "
                          f"{result['peak_mb']} MB, slowest {result['slowest_s']} s, statuses "
                          f"{result['statuses']} ({result['bytes'] // 1024} KB, "
                          f"{result['code']})")
                    continue
                out = subprocess.run(
                    [sys.executable, __file__, "--root", args.root, "--threads", str(threads),
                     "--file", file.name, "--name", name, "--fields", json.dumps(fields)],
                    capture_output=True, text=True, check=True, cwd=args.root,
                    env={**os.environ, "PYTHONPATH": args.root})
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{label:12} x{threads}: peak RSS {result['baseline_mb']} -> "
                      f"{result['peak_mb']} MB, slowest {result['slowest_s']} s, statuses "
                      f"{result['statuses']} ({result['bytes'] // 1024} KB, {result['code']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
