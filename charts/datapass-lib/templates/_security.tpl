{{/*
datapass-lib.podSecurityContext: the pod's half of the "restricted" Pod Security Standard, as z2jh sets it; (dict
"runAsUser" N "runAsGroup" N "fsGroup" N). fsGroup makes mounted volumes and Secrets readable by the group.
*/}}
{{- define "datapass-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser | default 65532 }}
runAsGroup: {{ .runAsGroup | default 65532 }}
fsGroup: {{ .fsGroup | default 65532 }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
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
