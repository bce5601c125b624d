// Command daprd is Dapr's sidecar, built with `-tags stablecomponents` plus the
// components that tag leaves out but a Docker-less loopback machine needs.
package main

import (
	"github.com/dapr/components-contrib/nameresolution/sqlite"
	"github.com/dapr/dapr/cmd/daprd/app"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
)

// mDNS, the self-hosted default resolver, needs a multicast interface that
// loopback does not have; the sqlite resolver (alpha, in `allcomponents` only)
// lets every sidecar on this machine find the others through one shared file.
func init() {
	nrLoader.DefaultRegistry.RegisterComponent(sqlite.NewResolver, "sqlite")
}

func main() {
	app.Run()
}
