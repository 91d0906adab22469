{{/*
batch-job.completions: the number of tasks: one per manifest.tasks entry, else job.completions.
*/}}
{{- define "batch-job.completions" -}}
{{- if .Values.manifest.tasks -}}
{{- len .Values.manifest.tasks -}}
{{- else -}}
{{- .Values.job.completions | int -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.indexed: "true" when the Job has more than one task (completionMode: Indexed).
*/}}
{{- define "batch-job.indexed" -}}
{{- if gt (include "batch-job.completions" . | int) 1 -}}true{{- end -}}
{{- end -}}

{{/*
batch-job.perIndexMounts: a container's mounts, where each index of an Indexed Job gets a directory of its own on the
per-release input and output claims (subPathExpr $(JOB_COMPLETION_INDEX), set by the Job controller in every
container): tasks running at once never see, overwrite or upload each other's files. A YAML list; (dict "root" $
"mounts" LIST).
*/}}
{{- define "batch-job.perIndexMounts" -}}
{{- $out := list -}}
{{- range $mount := .mounts -}}
{{- $volume := index $.root.Values $mount.name | default dict -}}
{{- if and (has $mount.name (list "input" "output")) (eq (toString $volume.volume) "claim") (include "batch-job.indexed" $.root) -}}
{{- $mount = merge (dict "subPathExpr" "$(JOB_COMPLETION_INDEX)") $mount -}}
{{- end -}}
{{- $out = append $out $mount -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
batch-job.hasInputs: "true" when the manifest names any input. Without one there is no download at all (the
downloader refuses an empty manifest): the sidecar then follows the payload from its start.
*/}}
{{- define "batch-job.hasInputs" -}}
{{- $any := gt (len .Values.manifest.inputs) 0 -}}
{{- range .Values.manifest.tasks -}}
{{- if .inputs -}}{{- $any = true -}}{{- end -}}
{{- end -}}
{{- if $any -}}true{{- end -}}
{{- end -}}

{{/*
batch-job.downloadBy: who fetches the inputs: "sidecar", "initContainer", or "" when there are none.
*/}}
{{- define "batch-job.downloadBy" -}}
{{- if include "batch-job.hasInputs" . -}}{{- .Values.download.by -}}{{- end -}}
{{- end -}}

{{/*
batch-job.manifest: the downloader's manifest. A single task's inputs join the shared ones: a Job of one task is
not Indexed, so no JOB_COMPLETION_INDEX would pick tasks[0].
*/}}
{{- define "batch-job.manifest" -}}
{{- $m := .Values.manifest -}}
{{- $inputs := $m.inputs -}}
{{- $tasks := $m.tasks -}}
{{- if eq (len $tasks) 1 -}}
{{- $inputs = concat $inputs ((index $tasks 0).inputs | default list) -}}
{{- $tasks = list -}}
{{- end -}}
{{- $out := dict "inputs" $inputs "parallel" $m.parallel "retries" $m.retries -}}
{{- if $tasks -}}
{{- $_ := set $out "tasks" $tasks -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
batch-job.checkSources: fails the render when an input's URL carries a secret (a query, user:password@) and the
manifest would go in a ConfigMap, naming the input.
*/}}
{{- define "batch-job.checkSources" -}}
{{- if not .Values.download.manifestInSecret -}}
{{- range $i, $input := .Values.manifest.inputs -}}
{{- include "batch-job.checkSource" (dict "source" $input.source "path" (printf "manifest.inputs[%d].source" $i)) -}}
{{- end -}}
{{- range $t, $task := .Values.manifest.tasks -}}
{{- range $i, $input := $task.inputs -}}
{{- include "batch-job.checkSource" (dict "source" $input.source "path" (printf "manifest.tasks[%d].inputs[%d].source" $t $i)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "batch-job.checkSource" -}}
{{- if regexMatch "\\?|^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*@" (toString .source) -}}
{{- fail (printf "%s: a URL with a query or user info may carry a secret, which must not go into a ConfigMap; set download.manifestInSecret: true" .path) -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.credentials: the credentials in use, a YAML map kind -> {secret, key, dir, file, env, payload}: an
existing Secret (secretName) or one the release creates from `value`, mounted read-only under
/var/run/secrets/datapass/<kind>/.
*/}}
{{- define "batch-job.credentials" -}}
{{- $root := . -}}
{{- $kinds := dict "gcs" (list "gcs" "GOOGLE_APPLICATION_CREDENTIALS") "x509Proxy" (list "x509" "X509_USER_PROXY") "httpToken" (list "http-token" "DATAPASS_HTTP_TOKEN_FILE") "backendToken" (list "backend" "") -}}
{{- $out := dict -}}
{{- range $kind, $spec := $kinds -}}
{{- $c := index $root.Values.credentials $kind -}}
{{- if and $c.secretName $c.value -}}
{{- fail (printf "credentials.%s: give secretName (an existing Secret) or value (one to create), not both" $kind) -}}
{{- end -}}
{{- if or $c.secretName $c.value -}}
{{- $suffix := index $spec 0 -}}
{{- $dir := printf "/var/run/secrets/datapass/%s" $suffix -}}
{{- $_ := set $out $kind (dict "secret" (default (include "datapass-lib.componentName" (list $root $suffix)) $c.secretName) "create" (not $c.secretName) "key" $c.key "volume" (printf "cred-%s" $suffix) "dir" $dir "file" (printf "%s/%s" $dir $c.key) "env" (index $spec 1) "payload" (default false $c.payload) "origins" (default list $c.origins)) -}}
{{- if and (eq $kind "httpToken") (not $c.origins) -}}
{{- fail "credentials.httpToken.origins: name the https origins the token is for (e.g. [https://data.example.org]); it is sent nowhere else" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
batch-job.credentialsFor: which credentials a container gets, a YAML map like batch-job.credentials; (dict "root" $
"for" "sidecar"|"download"|"cleanup"|"payload"). The Google key and the grid proxy go to every agent, and to the
payload when marked `payload`; the http(s) token to whoever downloads; the backend token to the sidecar alone.
*/}}
{{- define "batch-job.credentialsFor" -}}
{{- $creds := include "batch-job.credentials" .root | fromYaml -}}
{{- $downloader := ternary "sidecar" "download" (eq (include "batch-job.downloadBy" .root) "sidecar") -}}
{{- $out := dict -}}
{{- range $kind, $c := $creds -}}
{{- $agent := ne $.for "payload" -}}
{{- $given := false -}}
{{- if or (eq $kind "gcs") (eq $kind "x509Proxy") -}}
{{- $given = or $agent $c.payload -}}
{{- else if eq $kind "httpToken" -}}
{{- $given = eq $.for $downloader -}}
{{- else if eq $kind "backendToken" -}}
{{- $given = eq $.for "sidecar" -}}
{{- end -}}
{{- if $given -}}
{{- $_ := set $out $kind $c -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
batch-job.credentialEnv: the variables naming a container's credential files; same argument as credentialsFor.
*/}}
{{- define "batch-job.credentialEnv" -}}
{{- range $kind, $c := include "batch-job.credentialsFor" . | fromYaml -}}
{{- if $c.env }}
- name: {{ $c.env }}
  value: {{ $c.file | quote }}
{{- end -}}
{{- with $c.origins }}
- name: DATAPASS_HTTP_CREDENTIALS_FOR
  value: {{ join "," . | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.credentialMounts: a container's credential volumes, read-only; same argument as credentialsFor.
*/}}
{{- define "batch-job.credentialMounts" -}}
{{- range $kind, $c := include "batch-job.credentialsFor" . | fromYaml }}
- name: {{ $c.volume }}
  mountPath: {{ $c.dir }}
  readOnly: true
{{- end -}}
{{- end -}}

{{/*
batch-job.credentialVolumes: the Secret volumes of a map of credentials (batch-job.credentials or credentialsFor),
one file each, readable by the pod's group only; a YAML list.
*/}}
{{- define "batch-job.credentialVolumes" -}}
{{- range $kind, $c := . }}
- name: {{ $c.volume }}
  secret:
    secretName: {{ $c.secret }}
    defaultMode: 0440
    items:
      - key: {{ $c.key }}
        path: {{ $c.key }}
{{- end -}}
{{- end -}}

{{/*
batch-job.claimMounts: existing claims' mounts; (dict "root" $ "for" "payload"|"agent").
*/}}
{{- define "batch-job.claimMounts" -}}
{{- range $name, $c := .root.Values.claims -}}
{{- if or (eq $.for "payload") $c.agents }}
- name: claim-{{ $name }}
  mountPath: {{ $c.mountPath }}
  readOnly: {{ $c.readOnly | default false }}
  {{- with $c.subPath }}
  subPath: {{ . }}
  {{- end }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.imagePullSecrets: the pods' imagePullSecrets, by name and the one the release creates.
*/}}
{{- define "batch-job.imagePullSecrets" -}}
{{- $names := .Values.imagePullSecrets.names | default list -}}
{{- if .Values.imagePullSecrets.create.server -}}
{{- $names = append $names (include "datapass-lib.componentName" (list . "registry")) -}}
{{- end -}}
{{- with $names }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
batch-job.serviceAccountName: the Job's pods' ServiceAccount.
*/}}
{{- define "batch-job.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "datapass-lib.fullname" . -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.gracePeriod: the pod's terminationGracePeriodSeconds, above the sidecar's --grace-seconds: on deletion the
payload and the sidecar share it, the payload stopping first.
*/}}
{{- define "batch-job.gracePeriod" -}}
{{- $grace := .Values.sidecar.graceSeconds | int -}}
{{- $period := .Values.job.terminationGracePeriodSeconds | int -}}
{{- if eq $period 0 -}}
{{- add $grace 20 -}}
{{- else if le $period $grace -}}
{{- fail (printf "job.terminationGracePeriodSeconds (%d) must be above sidecar.graceSeconds (%d): the sidecar needs that time for the final upload after the payload stopped" $period $grace) -}}
{{- else -}}
{{- $period -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.claimSpec: a PersistentVolumeClaim's spec from input or output values.
*/}}
{{- define "batch-job.claimSpec" -}}
accessModes:
  {{- toYaml .accessModes | nindent 2 }}
{{- if eq .storageClass "-" }}
storageClassName: ""
{{- else if .storageClass }}
storageClassName: {{ .storageClass | quote }}
{{- end }}
resources:
  requests:
    storage: {{ .size | quote }}
{{- end -}}

{{/*
batch-job.cleanupServiceAccountName: the cleanup Job's ServiceAccount: its own, or serviceAccount.name when the
release creates none.
*/}}
{{- define "batch-job.cleanupServiceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "datapass-lib.componentName" (list . "cleanup") -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
batch-job.checkExitCodes: Kubernetes wants podFailurePolicy's exit codes in ascending order, each once.
*/}}
{{- define "batch-job.checkExitCodes" -}}
{{- $previous := -1 -}}
{{- range .Values.job.failOnExitCodes -}}
{{- if le (int .) $previous -}}
{{- fail (printf "job.failOnExitCodes: %v must be in ascending order, each code once" $.Values.job.failOnExitCodes) -}}
{{- end -}}
{{- $previous = int . -}}
{{- end -}}
{{- end -}}

{{/*
The backend's bearer token travels over https only (the sidecar refuses plain http, loopback aside).
*/}}
{{- define "batch-job.checkBackendToken" -}}
{{- $token := .Values.credentials.backendToken -}}
{{- if and (or $token.secretName $token.value) (hasPrefix "http://" (lower .Values.sidecar.backendUrl)) -}}
{{- $host := regexReplaceAll "^http://([^/:]*).*$" (lower .Values.sidecar.backendUrl) "${1}" -}}
{{- if not (or (eq $host "localhost") (hasPrefix "127." $host)) -}}
{{- fail "sidecar.backendUrl: a backend token (credentials.backendToken) is sent over https:// only (or to a loopback address)" -}}
{{- end -}}
{{- end -}}
{{- end -}}
