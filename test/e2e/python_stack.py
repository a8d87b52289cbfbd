"""Runs examples/python as a stack of the e2e: `up` or `destroy` through Pulumi's Python Automation API,
which hosts the Python language runtime in this process (its standalone host is not served as a Go module).

Usage: python_stack.py <up|destroy> <work dir> <stack> <project> <program file>
Environment: PULUMI_ROOT (the CLI's root), PULUMI_HOME, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, and a
PATH on which the CLI finds the component's provider plugin. Prints the engine's output; exits 1 on failure.
"""

import os
import runpy
import sys

from pulumi import automation as auto


def main(operation: str, work_dir: str, stack_name: str, project: str, program_file: str) -> int:
    def program() -> None:
        runpy.run_path(program_file, run_name="__main__")

    workspace = auto.LocalWorkspaceOptions(
        work_dir=work_dir,
        pulumi_home=os.environ["PULUMI_HOME"],
        pulumi_command=auto.PulumiCommand(root=os.environ["PULUMI_ROOT"], skip_version_check=True),
        project_settings=auto.ProjectSettings(
            name=project, runtime="python", backend=auto.ProjectBackend(url=os.environ["PULUMI_BACKEND_URL"])
        ),
        env_vars={
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
        },
    )
    stack = auto.select_stack(stack_name, project_name=project, program=program, opts=workspace)
    try:
        if operation == "up":
            stack.up(on_output=print, color="never")
        elif operation == "destroy":
            stack.destroy(on_output=print, color="never")
        else:
            print(f"unknown operation {operation}", file=sys.stderr)
            return 2
    except auto.CommandError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
