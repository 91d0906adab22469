{{/*
datapass-lib.selectorLabels: what selects a release's pods; (dict "root" $ "component" "job").
*/}}
{{- define "datapass-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "datapass-lib.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/*
datapass-lib.labels: every object's labels; (dict "root" $ "component" "job"). datapass.io/submission is the
object names' base (datapass-lib.fullname), so `kubectl get jobs,pods -l datapass.io/submission=NAME` finds a
submission; a chart without `submission` values (user-pod) has none. datapass.io/experiment and datapass.io/user come
from submission.experiment and submission.user, or from "experiment" and "user" in the dict; each is made label-safe
the same way, and left out when empty.
*/}}
{{- define "datapass-lib.labels" -}}
{{ include "datapass-lib.selectorLabels" . }}
app.kubernetes.io/version: {{ regexReplaceAll "[^A-Za-z0-9._-]" (toString .root.Chart.AppVersion) "_" | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: datapass
helm.sh/chart: {{ include "datapass-lib.chart" .root }}
{{- $submission := .root.Values.submission | default dict }}
{{- if hasKey .root.Values "submission" }}
datapass.io/submission: {{ include "datapass-lib.fullname" .root }}
{{- end }}
{{- with ternary .experiment $submission.experiment (hasKey . "experiment") }}
datapass.io/experiment: {{ include "datapass-lib.dnsName" (dict "name" .) }}
{{- end }}
{{- with ternary .user $submission.user (hasKey . "user") }}
datapass.io/user: {{ include "datapass-lib.dnsName" (dict "name" .) }}
{{- end }}
{{- end -}}
