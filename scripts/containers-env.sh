# Sourced, not run: `source scripts/containers-env.sh DIR` points podman and buildah at a
# project-local configuration under DIR (vfs storage, runc, host network, no ulimits), so nothing
# in /etc changes. ../shared/ENVIRONMENT.md says why each setting is needed on these machines;
# runtime-image's test support class Containers writes the same for the Java tests.
containers_dir="${1:?usage: source scripts/containers-env.sh DIR}"
mkdir -p "$containers_dir"
cat > "$containers_dir/containers.conf" <<CONF
[containers]
default_ulimits = []
netns = "host"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
cat > "$containers_dir/storage.conf" <<CONF
[storage]
driver = "vfs"
runroot = "$containers_dir/containers/run"
graphroot = "$containers_dir/containers/graph"
CONF
export CONTAINERS_CONF="$containers_dir/containers.conf" CONTAINERS_STORAGE_CONF="$containers_dir/storage.conf"
export BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"
