{{/* The release's name for objects: "tetragon" for a release named tetragon. */}}
{{- define "tetragon.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tetragon.serviceAccount" -}}
{{- default (include "tetragon.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "tetragon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tetragon.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tetragon.labels" -}}
{{ include "tetragon.selectorLabels" . }}
app.kubernetes.io/part-of: tetragon
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tetragon.image" -}}
{{- if .Values.tetragon.image.override -}}
{{- .Values.tetragon.image.override -}}
{{- else -}}
{{- printf "%s:%s" .Values.tetragon.image.repository .Values.tetragon.image.tag -}}
{{- end -}}
{{- end -}}

{{/* Where the containers see the export directory and the host's /proc. */}}
{{- define "tetragon.runDir" -}}/var/run/tetragon{{- end -}}
{{- define "tetragon.procDir" -}}/procRoot{{- end -}}
