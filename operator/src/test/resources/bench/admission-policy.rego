# The admission benchmark's policy for OPA's Docker authorization plugin: for the requests the benchmark sends, it
# decides as the operator's plugin does under the benchmark's manifests (DESIGN.md §5, "Host baseline" and the seed
# SandboxPolicy's isolation rules). Every container create is held to the host baseline; one labelled
# openclaw.sandbox=1 also to the sandbox rules. Limits above the caps are allowed, as the operator allows them (its loop
# lowers them before start). Everything that is not a container create is allowed.
#
# SANDBOX_ROOT is replaced by the benchmark with the gateway's sandbox root (<stateDir>/sandboxes).
package docker.authz

default allow := false

allow if count(deny) == 0

sandbox_root := "SANDBOX_ROOT"

create if {
	input.Method == "POST"
	regex.match(`^(/v[0-9.]+)?/containers/create$`, input.PathPlain)
}

host := object.get(input.Body, "HostConfig", {})

labels := object.get(input.Body, "Labels", {})

# ---- the host baseline, for every container

deny contains "container.privileged" if {
	create
	host.Privileged == true
}

deny contains "container.cap_add" if {
	create
	some _ in host.CapAdd
}

namespace_modes := ["NetworkMode", "PidMode", "IpcMode", "UTSMode", "CgroupnsMode", "UsernsMode"]

deny contains "container.host_namespace" if {
	create
	some key in namespace_modes
	mode := object.get(host, key, "")
	is_string(mode)
	shared(mode)
}

shared(mode) if mode == "host"

shared(mode) if startswith(mode, "container:")

deny contains "container.unconfined" if {
	create
	some opt in host.SecurityOpt
	unconfined(opt)
}

unconfined(opt) if {
	parts := split(replace(opt, ":", "="), "=")
	parts[0] in {"seccomp", "apparmor", "systempaths"}
	parts[1] == "unconfined"
}

deny contains "container.devices" if {
	create
	some _ in host.Devices
}

deny contains "container.devices" if {
	create
	some _ in host.DeviceCgroupRules
}

# Where a bind really leads: its resolved path when the plugin could resolve it.
bind_path(b) := b.Resolved if b.Resolved != ""

bind_path(b) := b.Source if b.Resolved == ""

docker_sockets := ["/var/run/docker.sock", "/run/docker.sock"]

deny contains "container.docker_socket_mount" if {
	create
	some b in input.BindMounts
	some socket in docker_sockets
	within(socket, bind_path(b))
}

sensitive := ["/etc", "/root", "/home", "/var/lib/docker", "/run", "/var/run", "/proc", "/sys", "/dev"]

deny contains "container.sensitive_mount" if {
	create
	some b in input.BindMounts
	path := bind_path(b)
	some s in sensitive
	within(path, s)
}

deny contains "container.sensitive_mount" if {
	create
	some b in input.BindMounts
	bind_path(b) == "/"
}

# path is dir or lies under it
within(path, dir) if path == dir

within(path, dir) if startswith(path, concat("", [dir, "/"]))

# ---- a sandbox's isolation rules

is_sandbox if labels["openclaw.sandbox"] == "1"

deny contains "sandbox.capabilities" if {
	create
	is_sandbox
	not "ALL" in object.get(host, "CapDrop", [])
}

deny contains "sandbox.network" if {
	create
	is_sandbox
	object.get(host, "NetworkMode", "") != "none"
}

deny contains "sandbox.no_new_privileges" if {
	create
	is_sandbox
	not no_new_privileges
}

no_new_privileges if {
	some opt in host.SecurityOpt
	opt in {"no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"}
}

# A sandbox binds only its own workspace, a direct child of the sandbox root, at /workspace, and that child's skills/
# read-only.
deny contains "sandbox.mounts" if {
	create
	is_sandbox
	some b in input.BindMounts
	not own_workspace(b)
}

# ... and one child only: a second one gives this session another session's files.
deny contains "sandbox.mounts" if {
	create
	is_sandbox
	count({child | some b in input.BindMounts; child := under_root(b)[0]}) > 1
}

# The bind's path below the sandbox root, as a list of names; undefined when it is not below it.
under_root(b) := parts if {
	prefix := concat("", [sandbox_root, "/"])
	startswith(bind_path(b), prefix)
	parts := split(trim_prefix(bind_path(b), prefix), "/")
	not ".." in parts
	not "" in parts
}

own_workspace(b) if count(under_root(b)) == 1

own_workspace(b) if {
	parts := under_root(b)
	count(parts) == 2
	parts[1] == "skills"
	b.ReadOnly
}
