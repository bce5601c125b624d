//go:build tools

// Keeps go.sum complete for the commands scripts/provision-k8s.sh builds by path.
package tools

import (
	_ "github.com/dapr/dapr/cmd/injector/app"
	_ "github.com/dapr/dapr/cmd/operator/app"
	_ "github.com/dapr/dapr/cmd/placement/app"
)
