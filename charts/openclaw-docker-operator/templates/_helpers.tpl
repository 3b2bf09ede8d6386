{{/* The release's full name: the release name, prefixed with the chart's unless it already holds it. */}}
{{- define "oco.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "oco.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "oco.labels" -}}
{{ include "oco.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "oco.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "oco.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "oco.leaseNamespace" -}}
{{- .Values.leaderElection.namespace | default .Release.Namespace -}}
{{- end -}}

{{- define "oco.image" -}}
{{- if not .Values.image.repository -}}
{{- fail "image.repository is empty: give the operator image's full reference (registry/name), e.g. --set image.repository=registry.example/openclaw-docker-operator" -}}
{{- end -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
The hosts, checked once: a clear error names the entry and the field. Returns them as YAML
({hosts: [...]}) with defaults filled in: deployment, tlsSecret, lease, replicas.
*/}}
{{- define "oco.hosts" -}}
{{- $fullname := include "oco.fullname" . -}}
{{- if not .Values.hosts -}}
{{- fail "no Docker host given: this release needs at least one (there is no default). Set hosts, e.g. --set 'hosts[0].name=edge-1' --set 'hosts[0].dockerHost=tcp://10.0.0.7:2376', or a values file (see values.yaml)" -}}
{{- end -}}
{{- $seen := dict -}}
{{- $out := list -}}
{{- range $i, $h := .Values.hosts -}}
{{- $name := $h.name | default "" | toString -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" $name) -}}
{{- fail (printf "hosts[%d].name %q is not a DNS label: use lower-case letters, digits and \"-\", at most 63 characters" $i $name) -}}
{{- end -}}
{{- if hasKey $seen $name -}}
{{- fail (printf "hosts[%d].name %q is given twice: each Docker host needs exactly one entry (one Deployment, one Lease)" $i $name) -}}
{{- end -}}
{{- $_ := set $seen $name true -}}
{{- $dockerHost := $h.dockerHost | default "" | toString -}}
{{- if not (regexMatch "^tcp://[^/]+:[0-9]+$" $dockerHost) -}}
{{- fail (printf "hosts[%d].dockerHost %q must be tcp://HOST:PORT (the Docker API over TLS, usually port 2376); a unix socket cannot be reached from a pod" $i $dockerHost) -}}
{{- end -}}
{{- $deployment := printf "%s-%s" $fullname $name -}}
{{- if gt (len $deployment) 63 -}}
{{- fail (printf "hosts[%d]: the Deployment name %q is longer than 63 characters; shorten the host name or the release name" $i $deployment) -}}
{{- end -}}
{{- $replicas := (hasKey $h "replicas" | ternary $h.replicas $.Values.replicas) | int -}}
{{- if lt $replicas 0 -}}
{{- fail (printf "hosts[%d] (%s): replicas is %d; use 1, or 2 for a warm standby (only the Lease holder acts)" $i $name $replicas) -}}
{{- end -}}
{{- $labels := $h.labels | default dict -}}
{{- /* The Docker host's address for a NetworkPolicy: an IP in dockerHost as it is, else the entry's cidr. */ -}}
{{- $address := regexReplaceAll "^tcp://\\[?([^/]*?)\\]?:[0-9]+$" $dockerHost "${1}" -}}
{{- $byName := not (or (regexMatch "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$" $address) (contains ":" $address)) -}}
{{- $cidr := $h.cidr | default "" | toString -}}
{{- if not $cidr -}}
{{- if regexMatch "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$" $address -}}{{- $cidr = printf "%s/32" $address -}}
{{- else if contains ":" $address -}}{{- $cidr = printf "%s/128" $address -}}
{{- else if $.Values.networkPolicy.enabled -}}
{{- fail (printf "hosts[%d] (%s): dockerHost %q names its host, and a NetworkPolicy cannot: give hosts[%d].cidr, the addresses %q resolves to (or turn networkPolicy.enabled off)" $i $name $dockerHost $i $address) -}}
{{- end -}}
{{- end -}}
{{- $out = append $out (dict
      "name" $name
      "dockerHost" $dockerHost
      "port" (regexReplaceAll "^.*:([0-9]+)$" $dockerHost "${1}" | int)
      "cidr" $cidr
      "byName" $byName
      "labels" $labels
      "deployment" $deployment
      "tlsSecret" ($h.tlsSecret | default (printf "%s-%s-docker-tls" $fullname $name))
      "lease" (printf "openclaw-docker-operator-%s" $name)
      "replicas" $replicas) -}}
{{- end -}}
{{- toYaml (dict "hosts" $out) -}}
{{- end -}}

{{/* The API server's addresses for the NetworkPolicy: the values, else the kubernetes Endpoints (install time only). */}}
{{- define "oco.apiServerCidrs" -}}
{{- $cidrs := .Values.networkPolicy.apiServer.cidrs | default list -}}
{{- if not $cidrs -}}
{{- $endpoints := lookup "v1" "Endpoints" "default" "kubernetes" -}}
{{- range ($endpoints.subsets | default list) -}}
{{- range (.addresses | default list) -}}
{{- $cidrs = append $cidrs (printf "%s/%s" .ip (contains ":" .ip | ternary "128" "32")) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $cidrs -}}
{{- fail "networkPolicy.enabled: the API server's addresses are unknown (no Endpoints default/kubernetes to look up, as in `helm template`): give networkPolicy.apiServer.cidrs (kubectl get endpoints kubernetes -n default)" -}}
{{- end -}}
{{- toYaml (dict "cidrs" $cidrs) -}}
{{- end -}}
