/**
 * A launcher that starts SGLang with its API key read from a file inside the
 * process. A key on the command line (`--api-key <key>`, or a shell's
 * `--api-key "$(cat …)"`, which execs with the key expanded) sits in
 * /proc/<pid>/cmdline, readable by `ps` on the host and by anything in the
 * pod. Python's `sys.argv` is a copy: changing it leaves the kernel's command
 * line as the process was started, and SGLang's own parser reads
 * `sys.argv[1:]` (`python/sglang/launch_server.py`). Its worker processes are
 * started with multiprocessing's spawn method, whose command lines carry no
 * server argument. SGLang also logs its ServerArgs at start; the launcher
 * shows the key there as `<hidden>`.
 */

/** Where the launcher is mounted in the SGLang container (a plain file: it holds no secret). */
export const SGLANG_LAUNCHER_PATH = "/etc/sglang-ananke/launch_server.py";

/** The launcher's own option naming the key's file; every other argument goes to SGLang. */
export const API_KEY_FILE_OPTION = "--api-key-file";

/** The launcher's source. */
export const SGLANG_LAUNCHER = `"""Starts SGLang with the API key read from a file, never on the command line."""
import runpy
import sys

USAGE = "usage: launch_server.py ${API_KEY_FILE_OPTION} PATH [SGLang server flags]"


def read_key(path):
    with open(path, encoding="utf-8") as f:
        key = f.read().strip()
    if not key:
        sys.exit(f"{path} is empty: no API key to start SGLang with")
    return key


def hide_key_in_logs():
    """SGLang logs repr(ServerArgs) at start: show the key as <hidden>."""
    try:
        from sglang.srt.server_args import ServerArgs
    except ImportError:
        return
    shown = ServerArgs.__repr__

    def masked(self):
        key = self.api_key
        self.api_key = "<hidden>" if key else key
        try:
            return shown(self)
        finally:
            self.api_key = key

    ServerArgs.__repr__ = masked


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "${API_KEY_FILE_OPTION}":
        sys.exit(USAGE)
    key = read_key(sys.argv[2])
    # The kernel's copy of the command line (/proc/<pid>/cmdline) stays as started.
    sys.argv = [sys.argv[0], *sys.argv[3:], "--api-key", key]
    hide_key_in_logs()
    # As "python -m sglang.launch_server": spawned workers import it by that name.
    runpy.run_module("sglang.launch_server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
`;
