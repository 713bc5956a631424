"""Shared by scripts/bench and scripts/bench-archive: running a command and measuring its time,
peak resident memory and the bytes it read from given files; medians and pairwise ratios; the
machine's description; and the report section in docs/benchmarks.md."""
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Failed(Exception):
    pass


def spawn(argv, env=None, stdout=None):
    """Runs argv to completion; returns (seconds, status). posix_spawn and wait4, so that the
    time holds only the command."""
    env = dict(os.environ if env is None else env)
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, stdout or "/dev/null", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
               (os.POSIX_SPAWN_OPEN, 2, (stdout + ".err") if stdout else "/dev/null",
                os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, os.waitstatus_to_exitcode(status)


def peak_memory(argv, env=None):
    """Peak resident memory in KiB of argv, or of its largest process if it starts others, as
    GNU time reports it. Not from this script's own wait4: a child spawned from Python starts
    in Python's memory, which its ru_maxrss would count."""
    with tempfile.NamedTemporaryFile(mode="r", prefix="bench-time-") as report:
        result = subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%M"] + argv, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if result.returncode != 0:
            raise Failed("%s exited with %d" % (" ".join(argv), result.returncode))
        return int(report.read().split()[-1])


def output_of(argv, env=None):
    """Runs argv once and returns (status, stdout, stderr): to check a command does its job."""
    result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def require(argv, env=None, expect_stdout=None):
    status, out, err = output_of(argv, env)
    if status != 0 or (expect_stdout is not None and out != expect_stdout):
        raise Failed("%s gave status %d, stdout %r, stderr %r%s" % (
            " ".join(argv), status, out, err, "" if expect_stdout is None else "; expected %r" % expect_stdout))
    return out


READ_CALL = re.compile(r"^(read|pread64|readv|preadv|preadv2)\(\d+<([^>]*)>.*\)\s+=\s+(\d+)")


def bytes_read(argv, paths, env=None):
    """Bytes that argv and every process it starts read from any of `paths`, counted from the
    system calls (strace -ff -y), whatever the page cache holds."""
    wanted = {os.path.realpath(path) for path in paths}
    directory = tempfile.mkdtemp(prefix="bench-strace-")
    try:
        subprocess.run(["strace", "-qq", "-ff", "-y", "-e", "trace=read,pread64,readv,preadv,preadv2",
                        "-o", os.path.join(directory, "trace")] + argv,
                       env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = 0
        for name in os.listdir(directory):
            with open(os.path.join(directory, name), errors="replace") as trace:
                for line in trace:
                    match = READ_CALL.match(line)
                    if match and os.path.realpath(match.group(2)) in wanted:
                        total += int(match.group(3))
        return total
    finally:
        shutil.rmtree(directory, ignore_errors=True)


class Pairs:
    """Times of two commands measured in alternation, and the ratio of each pair."""

    def __init__(self):
        self.ours, self.theirs, self.ratios = [], [], []

    def add(self, ours, theirs):
        self.ours.append(ours)
        self.theirs.append(theirs)
        self.ratios.append(theirs / ours)

    @property
    def count(self):
        return len(self.ours)


def alternate(runs, ours, theirs):
    """Runs ours() and theirs() `runs` times each, swapping which goes first every pair so that
    neither always runs on a warmer cache. Each returns its seconds."""
    pairs = Pairs()
    for index in range(runs):
        if index % 2 == 0:
            mine = ours(index)
            other = theirs(index)
        else:
            other = theirs(index)
            mine = ours(index)
        pairs.add(mine, other)
    return pairs


def checked(result, what):
    seconds, status = result
    if status != 0:
        raise Failed("%s exited with %d" % (what, status))
    return seconds


def median(values):
    return statistics.median(values)


def milliseconds(seconds):
    if seconds >= 10:
        return "%.1f s" % seconds
    if seconds >= 1:
        return "%.2f s" % seconds
    if seconds >= 0.01:
        return "%.1f ms" % (seconds * 1000)
    return "%.2f ms" % (seconds * 1000)


def kib(count):
    return "%.1f MiB" % (count / 1024)


def size(count):
    if count >= 1 << 30:
        return "%.2f GiB" % (count / (1 << 30))
    if count >= 1 << 20:
        return "%.1f MiB" % (count / (1 << 20))
    if count >= 1 << 10:
        return "%.1f KiB" % (count / (1 << 10))
    return "%d B" % count


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine(volume_directory):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    filesystem = subprocess.run(["df", "--output=fstype", volume_directory], capture_output=True, text=True).stdout.split()[-1]
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    tar = subprocess.run(["tar", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    bsdtar = subprocess.run(["bsdtar", "--version"], capture_output=True, text=True).stdout.strip()
    return [
        "- machine: %s, %d cores, %s RAM, Linux %s; volumes on %s" % (
            cpu, os.cpu_count(), size(memory), platform.release(), filesystem),
        "- %s; %s; %s; Python %s" % (swift[0] if swift else "swift (version unknown)", tar, bsdtar, platform.python_version()),
        "- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    ]


def publish(section, text):
    """Replaces this script's section of docs/benchmarks.md, keeping the other's."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    start, end = "<!-- %s:start -->" % section, "<!-- %s:end -->" % section
    try:
        with open(path) as existing:
            document = existing.read()
    except FileNotFoundError:
        document = ("# Benchmarks\n\nWritten by `scripts/bench` and `scripts/bench-archive`; rerun them to "
                    "refresh their sections. Times are medians; a ratio is the median of the ratios "
                    "of runs made in alternation, each pair on the same work.\n")
    block = start + "\n" + text.rstrip("\n") + "\n" + end
    if start in document and end in document:
        before = document[:document.index(start)]
        after = document[document.index(end) + len(end):]
        document = before + block + after
    else:
        document = document.rstrip("\n") + "\n\n" + block + "\n"
    with open(path + ".tmp", "w") as output:
        output.write(document)
    os.replace(path + ".tmp", path)
    return path


def build_release():
    """scripts/build-release: the binary users install, built the same way."""
    print("building (release)...", file=sys.stderr)
    result = subprocess.run([os.path.join(HERE, "build-release")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise Failed("the release build failed")
    return result.stdout.strip()
