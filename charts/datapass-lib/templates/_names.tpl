{{/*
datapass-lib.dnsName: .name as a DNS label (RFC 1123) of at most .max characters (default 63). A name that is one
already and short enough is kept as it is. Any other is lowercased, each run of characters other than a-z and 0-9
becomes one '-', it is cut to leave room for '-' and the first 8 hex digits of the sha256 of the name as given, and
that hash is added: two names that clean up alike (Job_42, job.42) still get different names. It always starts
with a letter, as a Service's name must (DNS-1035): a name starting with a digit is changed too, and gets an 'n' in
front when its cleaned form still starts with one (3dxrd-jdoe: n3dxrd-jdoe-HASH).
*/}}
{{- define "datapass-lib.dnsName" -}}
{{- $name := toString .name -}}
{{- $max := int (default 63 .max) -}}
{{- if and (le (len $name) $max) (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name) -}}
{{- $name -}}
{{- else -}}
{{- $hash := sha256sum $name | trunc 8 -}}
{{- $cleaned := regexReplaceAll "[^a-z0-9]+" (lower $name) "-" | trimAll "-" -}}
{{- $digitFirst := regexMatch "^[0-9]" (default $hash $cleaned) -}}
{{- $clean := $cleaned | trunc (int (sub $max (ternary 10 9 $digitFirst))) | trimAll "-" -}}
{{- $label := ternary (printf "%s-%s" $clean $hash) $hash (ne $clean "") -}}
{{- ternary (printf "n%s" $label) $label $digitFirst -}}
{{- end -}}
{{- end -}}

{{/*
datapass-lib.name: the chart's name (or nameOverride), for the app.kubernetes.io/name label.
*/}}
{{- define "datapass-lib.name" -}}
{{- include "datapass-lib.dnsName" (dict "name" (default .Chart.Name .Values.nameOverride) "max" 63) -}}
{{- end -}}

{{/*
datapass-lib.submission: the submission's name as given (submission.name, default the release name).
*/}}
{{- define "datapass-lib.submission" -}}
{{- default .Release.Name (.Values.submission).name -}}
{{- end -}}

{{/*
datapass-lib.fullname: the base of every object's name, the submission's name (or fullnameOverride) as a DNS label
of at most 52 characters: 11 are left for a component's suffix ("-cleanup") and for the hostname Kubernetes gives
each pod of an Indexed Job, "<job>-<index>", which must be a DNS label of at most 63 characters itself.
*/}}
{{- define "datapass-lib.fullname" -}}
{{- include "datapass-lib.dnsName" (dict "name" (default (include "datapass-lib.submission" .) .Values.fullnameOverride) "max" 52) -}}
{{- end -}}

{{/*
datapass-lib.componentName: "<fullname>-<suffix>", at most 63 characters; (list $ "cleanup").
*/}}
{{- define "datapass-lib.componentName" -}}
{{- $root := index . 0 -}}
{{- $suffix := index . 1 -}}
{{- if gt (len $suffix) 10 -}}
{{- fail (printf "datapass-lib.componentName: suffix %q is longer than 10 characters" $suffix) -}}
{{- end -}}
{{- printf "%s-%s" (include "datapass-lib.fullname" $root) $suffix -}}
{{- end -}}

{{/*
datapass-lib.chart: chart name and version, for the helm.sh/chart label.
*/}}
{{- define "datapass-lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
datapass-lib.renamedValues: fails when a values file still sets a key the chart renamed, naming the new one;
(dict "values" .Values "renamed" (dict "old.path" "new.path" ...)). The schema allows the old keys for this.
*/}}
{{- define "datapass-lib.renamedValues" -}}
{{- range $old, $new := .renamed -}}
{{- $node := $.values -}}
{{- $found := true -}}
{{- range $part := splitList "." $old -}}
{{- if and $found (kindIs "map" $node) (hasKey $node $part) -}}
{{- $node = index $node $part -}}
{{- else -}}
{{- $found = false -}}
{{- end -}}
{{- end -}}
{{- if $found -}}
{{- fail (printf "%s was renamed %s: set %s instead" $old $new $new) -}}
{{- end -}}
{{- end -}}
{{- end -}}
