#!/usr/bin/env python3
"""The server's own memory under the pages' load (issue 17: RSS <= 250 MB), measured apart from
the demo's build and from the client.

    scripts/server-memory.py BINARY SQLITE_FILE [--seconds 2] [--connections 32]

Starts `BINARY serve` on the SQLite file of a demo city (`smartleague demo` made it), signs in as
each demo administrator and the demo member, reads each one's menu from their first page, puts
every menu page and the public pages under `wrk` in turn, and prints the server's resident memory
before, and its peak (VmHWM) after. Needs wrk (apt-get install -y wrk).
"""
import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

PASSWORD = "Demo2026ok"
PEOPLE = ["demo.city", "demo.district", "demo.committee", "demo.branch", "demo.member"]
PUBLIC = ["/volunteer/posts", "/volunteer/register", "/login"]


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return fields.get("VmRSS", "?"), fields.get("VmHWM", "?")


def sign_in(base, username):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf" value="([^"]*)"', form).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf": token, "next": "/"}).encode()
    home = opener.open(base + "/login", data).read().decode()
    session = next((c.value for c in jar if c.name == "sl_session"), None)
    if session is None:
        sys.exit(f"sign-in failed for {username}")
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", home, re.S)
    links = re.findall(r'href="(/[^"]*)"', nav.group(1)) if nav else []
    return session, list(dict.fromkeys(links))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("sqlite")
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=18099)
    args = parser.parse_args()
    wrk = shutil.which("wrk") or sys.exit("wrk is missing: apt-get install -y wrk")
    env = dict(os.environ, SQLITE_PATH=os.path.abspath(args.sqlite))
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([args.binary, "serve", "--port", str(args.port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health").read()
                break
            except OSError:
                time.sleep(0.2)
        print("server started: VmRSS %s, VmHWM %s" % memory(server.pid))
        loads = [(None, path) for path in PUBLIC]
        for person in PEOPLE:
            session, links = sign_in(base, person)
            loads += [(session, path) for path in links]
        for session, path in loads:
            command = [wrk, "-t2", f"-c{args.connections}", f"-d{args.seconds}s", base + path]
            if session:
                command[1:1] = ["-H", f"Cookie: sl_session={session}"]
            subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        rss, peak = memory(server.pid)
        print(f"after {len(loads)} pages under wrk -c{args.connections} for {args.seconds} s each: VmRSS {rss}, peak VmHWM {peak}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
