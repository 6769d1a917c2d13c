module spotifymon.dev/go-agent

go 1.19

require spotifymon.dev/spotifymon v0.0.0

replace spotifymon.dev/spotifymon => ../../Bindings/go
