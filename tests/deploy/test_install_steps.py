"""docs/deploy.md's install steps make every log file the shipped nginx site names,
0640 www-data:adm, before nginx first opens them (issue 28, item 10; the security
review of 2026-12-06, #11).

nginx makes a log file it cannot find 0644 root, readable by every user on the
machine, and `nginx -t` already does; Debian's logrotate recreates it 0640 only at
the first rotation. So the files must exist before the first `nginx -t` or reload.

The steps are read from the doc's code blocks; those that touch /var/log/nginx
before that point run here (as root; they need the www-data user and adm group
that Debian's nginx package brings), with the folder moved into a temporary one.
"""

import grp
import os
import pwd
import re
import shlex
import stat
import subprocess

import pytest

from helpers import ROOT

DOC = ROOT / "docs" / "deploy.md"
DEPLOY_NGINX = ROOT / "deploy" / "nginx"
LOG_FOLDER = "/var/log/nginx/"
# What makes nginx open the logs its configuration names.
STARTS_NGINX = re.compile(r"\bnginx -t\b|systemctl (re)?(load|start|restart)\b.*\bnginx\b")


def logs_the_site_names() -> set[str]:
    names = set()
    for conf in DEPLOY_NGINX.glob("*.conf"):
        for line in conf.read_text().splitlines():
            words = line.split("#")[0].replace(";", " ").split()
            if words[:1] in (["access_log"], ["error_log"]) and words[1] != "off":
                assert words[1].startswith(LOG_FOLDER), line
                names.add(words[1])
    return names


def shell_lines(markdown: str) -> list[str]:
    """The commands of the doc's sh code blocks, in order, continuation lines joined."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.split("#")[0].strip():
                lines.append(line)
    return lines


def steps_before_nginx_starts() -> list[str]:
    lines = shell_lines(DOC.read_text())
    first = next(i for i, line in enumerate(lines) if STARTS_NGINX.search(line))
    return lines[:first]


def test_the_site_names_its_own_two_logs():
    assert logs_the_site_names() == {"/var/log/nginx/spotcheck.log",
                                     "/var/log/nginx/spotcheck-error.log"}


def test_every_log_of_the_site_is_made_0640_www_data_adm_before_nginx_opens_it(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the steps set an owner: run as root")
    try:
        www_data, adm = pwd.getpwnam("www-data").pw_uid, grp.getgrnam("adm").gr_gid
    except KeyError:
        pytest.skip("needs the www-data user and adm group (Debian's nginx package)")
    steps = [line for line in steps_before_nginx_starts() if LOG_FOLDER in line]
    assert steps, "no step makes nginx's log files before nginx first starts"
    folder = tmp_path / "log" / "nginx"
    folder.mkdir(parents=True)
    script = "\n".join(line.replace(LOG_FOLDER, f"{folder}/") for line in steps)
    for line in steps:  # only file making: nothing else of the install runs here
        assert shlex.split(line, comments=True)[0] in ("install", "touch", "chown", "chmod"), line
    subprocess.run(["sh", "-eu", "-c", script], check=True)
    for name in sorted(logs_the_site_names()):
        made = os.stat(folder / name.removeprefix(LOG_FOLDER))
        assert (oct(stat.S_IMODE(made.st_mode)), made.st_uid, made.st_gid) == \
            ("0o640", www_data, adm), name
