{{/*
The agent containers. Each role's flags are rendered here and nowhere else, only flags the role has (the chart
tests check every rendered flag against the role's --help). Secrets never go into flags: they are files from
mounted Secrets, named by path.
*/}}

{{/*
datapass-lib.agentImage: "repository:tag" of the agent image; tag default the chart's appVersion (root context).
*/}}
{{- define "datapass-lib.agentImage" -}}
{{- $image := .Values.agentImage -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag | toString) -}}
{{- end -}}

{{/*
datapass-lib.sidecarArgs: the sidecar role's arguments, a YAML list; (dict "job" NAME "uploadTo" URL "manifest" PATH
"port" N "graceSeconds" N "healthyDeadlineSeconds" N "backendUrl" URL "backendTokenFile" PATH "reportToPod" BOOL
"gcsEndpoint" URL "parallel" N "retries" N "uploadDuringRun" BOOL "settleSeconds" N "stateDir" PATH "extraArgs" LIST);
empty values leave their flag out.
*/}}
{{- define "datapass-lib.sidecarArgs" -}}
- sidecar
- --job
- {{ .job | quote }}
{{- with .uploadTo }}
- --upload-to
- {{ . | quote }}
{{- end }}
{{- with .manifest }}
- --manifest
- {{ . | quote }}
{{- end }}
- --port
- {{ .port | default 8686 | quote }}
- --grace-seconds
- {{ .graceSeconds | default 25 | quote }}
{{- with .healthyDeadlineSeconds }}
- --healthy-deadline
- {{ . | quote }}
{{- end }}
{{- with .backendUrl }}
- --backend-url
- {{ . | quote }}
{{- end }}
{{- with .backendTokenFile }}
- --backend-token-file
- {{ . | quote }}
{{- end }}
{{- if .reportToPod }}
- --report-to-pod
{{- end }}
{{- if .uploadDuringRun }}
- --upload-during-run
- --settle-seconds
- {{ .settleSeconds | default 10 | quote }}
{{- end }}
{{- with .stateDir }}
- --state-dir
- {{ . | quote }}
{{- end }}
{{- with .gcsEndpoint }}
- --gcs-endpoint
- {{ . | quote }}
{{- end }}
{{- with .parallel }}
- --parallel
- {{ . | quote }}
{{- end }}
{{- if not (kindIs "invalid" .retries) }}
- --retries
- {{ .retries | quote }}
{{- end }}
{{- range .extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
datapass-lib.downloadArgs: the download role's arguments; (dict "manifest" PATH "dest" DIR "readyFile" PATH
"gcsEndpoint" URL "extraArgs" LIST). Parallelism and retries come from the manifest; an http(s) token file from
DATAPASS_HTTP_TOKEN_FILE, which the sidecar's own download reads too.
*/}}
{{- define "datapass-lib.downloadArgs" -}}
- download
- --manifest
- {{ .manifest | quote }}
- --dest
- {{ .dest | default "/workdir/input" | quote }}
- --ready-file
- {{ .readyFile | default "/workdir/ready" | quote }}
{{- with .gcsEndpoint }}
- --gcs-endpoint
- {{ . | quote }}
{{- end }}
{{- range .extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
datapass-lib.cleanupArgs: the cleanup role's arguments; (dict "job" NAME "waitForJob" NAME "uploadTo" URL "output"
DIR "mode" zip|tree "zipLevel" N "requireOutputs" BOOL "scratch" DIR "remove" LIST "delete" LIST "parallel" N "retries" N "gcsEndpoint"
URL "extraArgs" LIST).
*/}}
{{- define "datapass-lib.cleanupArgs" -}}
- cleanup
- --job
- {{ .job | quote }}
{{- with .waitForJob }}
- --wait-for-job
- {{ . | quote }}
{{- end }}
- --upload-to
- {{ .uploadTo | quote }}
- --output
- {{ .output | default "/output" | quote }}
- --mode
- {{ .mode | default "zip" | quote }}
{{- if not (kindIs "invalid" .zipLevel) }}
- --zip-level
- {{ .zipLevel | quote }}
{{- end }}
{{- if .requireOutputs }}
- --require-outputs
{{- end }}
{{- with .scratch }}
- --scratch
- {{ . | quote }}
{{- end }}
{{- range .remove }}
- --remove
- {{ . | quote }}
{{- end }}
{{- range .delete }}
- --delete
- {{ . | quote }}
{{- end }}
{{- with .parallel }}
- --parallel
- {{ . | quote }}
{{- end }}
{{- if not (kindIs "invalid" .retries) }}
- --retries
- {{ .retries | quote }}
{{- end }}
{{- with .gcsEndpoint }}
- --gcs-endpoint
- {{ . | quote }}
{{- end }}
{{- range .extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
datapass-lib.agentContainer: one agent container, a YAML list item; (dict "root" $ "name" NAME "args" YAML-LIST
"env" LIST "volumeMounts" LIST "ports" LIST "startupProbe" MAP "resources" MAP "restartPolicy" Always). The image's
entrypoint runs the role its first argument names. POD_NAME comes from the downward API: the sidecar reports it and
patches that pod. /tmp is an emptyDir (volume "tmp"): the root filesystem is read-only.
*/}}
{{- define "datapass-lib.agentContainer" -}}
{{- include "datapass-lib.requireDistinctMounts" (dict "container" .name "mounts" (prepend (.volumeMounts | default list) (dict "name" "tmp" "mountPath" "/tmp"))) -}}
- name: {{ .name }}
  image: {{ include "datapass-lib.agentImage" .root | quote }}
  imagePullPolicy: {{ .root.Values.agentImage.pullPolicy }}
  {{- with .restartPolicy }}
  restartPolicy: {{ . }}
  {{- end }}
  args:
    {{- .args | nindent 4 }}
  env:
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    {{- with .env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .ports }}
  ports:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .startupProbe }}
  startupProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- include "datapass-lib.containerSecurityContext" dict | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- with .volumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/*
datapass-lib.requireDistinctMounts: fails when two of a container's volumes mount at one path, which the API server
refuses only at install; (dict "container" NAME "mounts" LIST).
*/}}
{{- define "datapass-lib.requireDistinctMounts" -}}
{{- $seen := dict -}}
{{- range $mount := .mounts -}}
{{- $path := trimSuffix "/" (toString $mount.mountPath) | default "/" -}}
{{- with get $seen $path -}}
{{- fail (printf "container %s: volumes %s and %s both mount at %s; give one another path (claims.NAME.mountPath, input.alsoMountAt, output.alsoMountAt)" $.container . $mount.name $path) -}}
{{- end -}}
{{- $_ := set $seen $path $mount.name -}}
{{- end -}}
{{- end -}}
