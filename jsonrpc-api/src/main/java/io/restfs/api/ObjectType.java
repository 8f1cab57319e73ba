package io.restfs.api;

public enum ObjectType {
    FILE,
    DIRECTORY
}
