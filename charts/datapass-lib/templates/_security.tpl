{{/*
datapass-lib.podSecurityContext: the pod's half of the "restricted" Pod Security Standard, as z2jh sets it; (dict
"runAsUser" N "runAsGroup" N "fsGroup" N "supplementalGroups" LIST "sysctls" LIST), each id 65532 when not given (a
given 0 stays 0: the schemas refuse uid 0, a group 0 is the user's choice). fsGroup makes mounted volumes and Secrets
readable by the group. Only the "safe" sysctls pass the standard (net.ipv4.ip_unprivileged_port_start among them).
*/}}
{{- define "datapass-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ include "datapass-lib.idOrDefault" .runAsUser }}
runAsGroup: {{ include "datapass-lib.idOrDefault" .runAsGroup }}
fsGroup: {{ include "datapass-lib.idOrDefault" .fsGroup }}
fsGroupChangePolicy: OnRootMismatch
{{- with .supplementalGroups }}
supplementalGroups:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .sysctls }}
sysctls:
  {{- toYaml . | nindent 2 }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
datapass-lib.idOrDefault: a uid or gid as given, 65532 when null or absent (`default` would replace a 0 as well).
*/}}
{{- define "datapass-lib.idOrDefault" -}}
{{- if kindIs "invalid" . -}}65532{{- else -}}{{ int64 . }}{{- end -}}
{{- end -}}

{{/*
datapass-lib.containerSecurityContext: every container's half, complete by itself: non-root, no privilege
escalation, no capabilities, RuntimeDefault seccomp, read-only root filesystem (scratch space comes from emptyDirs);
(dict "readOnlyRootFilesystem" false) for a payload image that must write elsewhere.
*/}}
{{- define "datapass-lib.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ ternary .readOnlyRootFilesystem true (hasKey . "readOnlyRootFilesystem") }}
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
