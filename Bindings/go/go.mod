module spotifymon.dev/spotifymon

go 1.19
