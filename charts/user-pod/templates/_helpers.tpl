{{/*
user-pod.fullname: the base of every object's name: fullnameOverride, else "<experiment>-<user.name>" (or the user's
name alone), made a DNS label of at most 52 characters by the library, with a short hash when it had to change.
*/}}
{{- define "user-pod.fullname" -}}
{{- $base := required "user.name is required: the user's name, any string" .Values.user.name | toString -}}
{{- with .Values.experiment -}}
{{- $base = printf "%s-%s" . $base -}}
{{- end -}}
{{- include "datapass-lib.dnsName" (dict "name" (default $base .Values.fullnameOverride) "max" 52) -}}
{{- end -}}

{{/*
user-pod.labels: every object's labels, with the user's and the experiment's; (dict "root" $ "component" "user-pod").
*/}}
{{- define "user-pod.labels" -}}
{{- include "datapass-lib.labels" (dict "root" .root "component" .component "experiment" .root.Values.experiment "user" .root.Values.user.name) -}}
{{- end -}}

{{/*
user-pod.unprivilegedPortStart: the lowest container port below 1024, or "" when there is none. Processes that are
not root bind such a port when the pod's net.ipv4.ip_unprivileged_port_start is at most that port (Docker sets it to
0 for every container; containerd and CRI-O leave the kernel's 1024).
*/}}
{{- define "user-pod.unprivilegedPortStart" -}}
{{- $lowest := 1024 -}}
{{- range $name, $c := .Values.containers -}}
{{- range $port, $number := $c.ports -}}
{{- $lowest = min $lowest (int $number) -}}
{{- end -}}
{{- end -}}
{{- if lt $lowest 1024 -}}{{ $lowest }}{{- end -}}
{{- end -}}

{{/*
user-pod.servingContainer: the name of the container whose ports hold service.targetPort; fails naming the key when
none does (the Service would forward to nothing).
*/}}
{{- define "user-pod.servingContainer" -}}
{{- $found := "" -}}
{{- range $name, $c := .Values.containers -}}
{{- if hasKey ($c.ports | default dict) $.Values.service.targetPort -}}
{{- $found = $name -}}
{{- end -}}
{{- end -}}
{{- if not $found -}}
{{- fail (printf "service.targetPort: no container has a port named %q (give it in containers.NAME.ports)" .Values.service.targetPort) -}}
{{- end -}}
{{- $found -}}
{{- end -}}

{{/*
user-pod.volume: one pod volume from a `volumes` entry; (list NAME ENTRY).
*/}}
{{- define "user-pod.volume" -}}
{{- $name := index . 0 -}}
{{- $v := index . 1 -}}
- name: {{ $name }}
{{- if $v.claim }}
  persistentVolumeClaim:
    claimName: {{ $v.claim }}
{{- else if $v.hostPath }}
  hostPath:
    path: {{ $v.hostPath }}
    type: Directory
{{- else if $v.nfs }}
  nfs:
    server: {{ $v.nfs.server }}
    path: {{ $v.nfs.path }}
{{- else if $v.secret }}
  secret:
    secretName: {{ $v.secret }}
    defaultMode: 0440
{{- else if hasKey $v "emptyDir" }}
  emptyDir:
    {{- toYaml ($v.emptyDir | default dict) | nindent 4 }}
{{- else }}
{{- fail (printf "volumes.%s: give one of claim, hostPath, nfs, emptyDir, secret" $name) }}
{{- end }}
{{- end -}}

{{/*
user-pod.mounts: a container's volumeMounts, /tmp (an emptyDir: the root filesystem is read-only) first unless the
container mounts a volume there itself; fails naming the key when a mount names no volume; (list $ NAME CONTAINER).
*/}}
{{- define "user-pod.mounts" -}}
{{- $root := index . 0 -}}
{{- $container := index . 1 -}}
{{- $c := index . 2 -}}
{{- $mounts := list -}}
{{- $tmp := true -}}
{{- range $volume, $m := $c.mounts -}}
{{- if not (hasKey $root.Values.volumes $volume) -}}
{{- fail (printf "containers.%s.mounts.%s: there is no volume %q in volumes" $container $volume $volume) -}}
{{- end -}}
{{- if eq (clean $m.mountPath) "/tmp" -}}
{{- $tmp = false -}}
{{- end -}}
{{- $mount := dict "name" $volume "mountPath" $m.mountPath "readOnly" ($m.readOnly | default false) -}}
{{- with $m.subPath -}}
{{- $_ := set $mount "subPath" . -}}
{{- end -}}
{{- $mounts = append $mounts $mount -}}
{{- end -}}
{{- if $tmp -}}
{{- $mounts = prepend $mounts (dict "name" "datapass-tmp" "mountPath" "/tmp") -}}
{{- end -}}
{{- toYaml $mounts -}}
{{- end -}}
